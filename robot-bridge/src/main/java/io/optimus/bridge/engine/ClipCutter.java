package io.optimus.bridge.engine;

import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triggers of one robot: shadow disagreement and policy uncertainty sustained above their
 * thresholds, safety interventions, operator takeovers and failed episodes each cut a {@link Clip}
 * (episode id, time range on the episode's monotonic clock, trigger, score) into the dataset's
 * {@link ClipQueue}. Triggers are judged where they happen (the loop's reporter thread for shadow ticks) and
 * cheaply; the durable write (fsync) runs on the cutter's own thread, never on the loop's threads.
 * Clips are cut only while an episode is recorded: a clip names its episode.
 */
public final class ClipCutter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClipCutter.class);
  /** Safety events that mean the supervisor limited or stopped the motion. */
  static final Set<SafetyEventType> INTERVENTIONS = EnumSet.of(SafetyEventType.SAFETY_EVENT_POSITION_LIMIT,
      SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, SafetyEventType.SAFETY_EVENT_ACCELERATION_LIMIT,
      SafetyEventType.SAFETY_EVENT_SELF_COLLISION, SafetyEventType.SAFETY_EVENT_INVALID_INPUT,
      SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED, SafetyEventType.SAFETY_EVENT_WATCHDOG_HOLD,
      SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE, SafetyEventType.SAFETY_EVENT_DRIVER_FAULT,
      SafetyEventType.SAFETY_EVENT_OPERATOR_LOST);

  private final String robotId;
  private final ClipQueue queue;
  private final TriggerSettings settings;
  private final ThreadPoolExecutor writer;
  private final SustainedAbove disagreement;
  private final SustainedAbove uncertainty;
  private final AtomicLong cut = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private String shadowEpisode;
  private String safetyEpisode;
  private long safetyClippedUntilNs = Long.MIN_VALUE;

  /** @param queue where clips go, or null to judge triggers without keeping clips (recording off) */
  public ClipCutter(String robotId, ClipQueue queue, TriggerSettings settings) {
    this.robotId = robotId;
    this.queue = queue;
    this.settings = settings;
    this.disagreement = new SustainedAbove(settings.disagreementRad(), settings.disagreementMinS());
    this.uncertainty = new SustainedAbove(settings.uncertaintyRad(), settings.uncertaintyMinS());
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
      Thread t = new Thread(r, "clip-writer-" + robotId);
      t.setDaemon(true);
      return t;
    });
  }

  public TriggerSettings settings() {
    return settings;
  }

  /** A shadow tick of {@code episodeId} (the loop's reporter thread): disagreement and uncertainty (rad). */
  public synchronized void shadowTick(String episodeId, long tNs, double disagreementRad, double uncertaintyRad) {
    if (episodeId == null || !episodeId.equals(shadowEpisode)) {
      shadowGap();
      shadowEpisode = episodeId;
    }
    if (episodeId == null) {
      return;
    }
    span(ClipTrigger.DISAGREEMENT, disagreement.update(tNs, disagreementRad), "mean |shadow - commanded| above "
        + settings.disagreementRad() + " rad for " + settings.disagreementMinS() + " s or more");
    span(ClipTrigger.UNCERTAINTY, uncertainty.update(tNs, uncertaintyRad), "chunk spread above "
        + settings.uncertaintyRad() + " rad for " + settings.uncertaintyMinS() + " s or more");
  }

  /** The shadow stopped or stalled, or its episode ended: open spans end here. */
  public synchronized void shadowGap() {
    span(ClipTrigger.DISAGREEMENT, disagreement.end(), "disagreement until the shadow stopped");
    span(ClipTrigger.UNCERTAINTY, uncertainty.end(), "uncertainty until the shadow stopped");
  }

  private void span(ClipTrigger t, SustainedAbove.Span s, String detail) {
    if (s != null && shadowEpisode != null) {
      submit(Clip.of(robotId, shadowEpisode, t, s.startNs(), s.endNs(), finite(s.peak()), detail));
    }
  }

  /** A safety event while {@code episodeId} records (any thread). */
  public synchronized void safetyEvent(String episodeId, SafetyEvent e) {
    if (episodeId == null || !INTERVENTIONS.contains(e.getType())) {
      return;
    }
    long t = e.getStamp().getMonotonicNs();
    if (episodeId.equals(safetyEpisode) && t <= safetyClippedUntilNs) {
      return; // part of the intervention already clipped
    }
    long window = (long) (settings.safetyWindowS() * 1e9);
    safetyEpisode = episodeId;
    safetyClippedUntilNs = t + window;
    submit(Clip.of(robotId, episodeId, ClipTrigger.SAFETY, t - window, t, e.getSeverity().getNumber(),
        e.getType().name() + (e.getJoint().isEmpty() ? "" : " " + e.getJoint()) + ": " + e.getDetail()));
  }

  /** The operator took over from the driving source over [startNs, endNs]; score = its length in s. */
  public void takeover(String episodeId, long startNs, long endNs, String detail) {
    if (episodeId != null) {
      submit(Clip.of(robotId, episodeId, ClipTrigger.TAKEOVER, startNs, Math.max(startNs, endNs),
          Math.max(0, endNs - startNs) / 1e9, detail));
    }
  }

  /** An episode ended over [startNs, endNs]: a failure cuts the whole of it. */
  public void episodeEnded(String episodeId, EpisodeOutcome outcome, long startNs, long endNs) {
    synchronized (this) {
      if (episodeId != null && episodeId.equals(shadowEpisode)) {
        shadowGap();
        shadowEpisode = null;
      }
    }
    if (outcome == EpisodeOutcome.EPISODE_OUTCOME_FAILURE && episodeId != null) {
      submit(Clip.of(robotId, episodeId, ClipTrigger.TASK_FAILURE, startNs, Math.max(startNs, endNs), 1.0,
          "episode marked as a failure"));
    }
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : Double.MAX_VALUE;
  }

  private void submit(Clip c) {
    LOG.info("robot {}: {} clip {} of episode {} ({} s, score {})", robotId, c.trigger().id(), c.id(), c.episodeId(),
        String.format("%.2f", c.durationS()), String.format("%.3f", c.score()));
    if (queue == null) {
      return;
    }
    try {
      writer.execute(() -> write(c));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (writer.isShutdown()) {
        write(c); // cut after close (an episode finishing as the bridge closes): written on the caller's thread
      } else {
        lost.incrementAndGet();
        LOG.error("robot {}: clip {} not kept: the clip writer is 1024 clips behind", robotId, c.id());
      }
    }
  }

  private void write(Clip c) {
    try {
      if (queue.add(c)) {
        cut.incrementAndGet();
      }
    } catch (RuntimeException e) {
      lost.incrementAndGet();
      LOG.error("robot {}: clip {} not kept: {}", robotId, c.id(), e.getMessage());
    }
  }

  /** Clips written to the queue so far. */
  public long clips() {
    return cut.get();
  }

  /** Clips that could not be kept (queue file failing, writer overrun). */
  public long lostClips() {
    return lost.get();
  }

  /** Waits (bounded) until every clip cut so far is on disk. */
  public void flush(long timeoutMs) {
    try {
      writer.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("robot {}: clip writer did not catch up within {} ms", robotId, timeoutMs);
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
