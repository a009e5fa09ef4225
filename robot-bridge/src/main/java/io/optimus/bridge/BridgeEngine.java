package io.optimus.bridge;

import io.optimus.bridge.engine.ClipCutter;
import io.optimus.bridge.engine.ShadowMonitor;
import io.optimus.bridge.engine.ShadowSummarizer;
import io.optimus.bridge.safety.ProblemThrottle;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.ShadowSample;
import io.optimus.proto.v1.ShadowSummary;
import io.optimus.proto.v1.Timestamp;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's data engine: the shadow beside the driving source (recorded on {@link ShadowMonitor#TOPIC}
 * every tick, keyed by the recording's episode id, and summarised live at most 10 Hz), the triggers that cut clips, and the operator's
 * interventions (annotated in the recording, cut as clips). Sees every reported tick
 * ({@link #state}, the loop's reporter thread in wall time) and every safety event, each with the episode it
 * belongs to (its tick's: {@link io.optimus.bridge.control.ControlLoop#attributeTo}), and every finished episode.
 */
final class BridgeEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeEngine.class);

  private final String robotId;
  private final EpisodeRecorder recorder;
  private final ShadowMonitor shadow;
  private final ClipCutter clips;
  private final ShadowSummarizer summarizer;
  private volatile java.util.function.Consumer<ShadowSummary> liveShadow;
  private final ProblemThrottle badPredictions = new ProblemThrottle(10_000_000_000L);
  private String episode;
  private long firstNs;
  private long lastNs;
  private String endedEpisode;
  private long endedFirstNs;
  private long endedLastNs;
  private long interventionSinceNs = -1;
  private String interventionEpisode;
  private String interventionWhat = "";
  /** The episodes {@link #episodeFinished} handled lately, newest last (guarded by this). */
  private final java.util.ArrayDeque<String> finished = new java.util.ArrayDeque<>();

  BridgeEngine(String robotId, EpisodeRecorder recorder, ShadowMonitor shadow, ClipCutter clips) {
    this.robotId = robotId;
    this.recorder = recorder;
    this.shadow = shadow;
    this.clips = clips;
    this.summarizer = new ShadowSummarizer(robotId);
  }

  /** Where the live shadow summaries go (at most 10 Hz, the loop's reporter thread), e.g. {@code shadow/sample}. */
  void liveShadow(java.util.function.Consumer<ShadowSummary> out) {
    this.liveShadow = out;
  }

  ShadowMonitor shadow() {
    return shadow;
  }

  ClipCutter clips() {
    return clips;
  }

  /** The episode being recorded, or null. */
  String episodeId() {
    return idOf(recorder == null ? null : recorder.current());
  }

  /** The id of an episode still recording, else null (failed, or finished: nothing more goes in it). */
  private static String idOf(EpisodeWriter w) {
    return w != null && w.isRecording() ? w.header().getEpisodeId() : null;
  }

  /**
   * A reported tick of episode {@code w} (null: none; the loop's reporter thread in wall time): its shadow sample,
   * recorded in that episode, judged by the triggers.
   */
  void state(JointState s, EpisodeWriter w) {
    String id = idOf(w);
    long t = s.getStamp().getMonotonicNs();
    synchronized (this) {
      if (!Objects.equals(id, episode)) {
        if (episode != null) {
          endedEpisode = episode;
          endedFirstNs = firstNs;
          endedLastNs = lastNs;
        }
        episode = id;
        firstNs = t;
      }
      lastNs = t;
    }
    if (shadow.name() == null) {
      summarizer.reset();
      return;
    }
    ShadowSample sample = shadow.sample(s, id);
    if (sample == null) {
      summarizer.reset();
      clips.shadowGap();
      return;
    }
    if (id != null) {
      w.offer(ShadowMonitor.TOPIC, sample);
    }
    ShadowSummary summary = summarizer.add(sample);
    java.util.function.Consumer<ShadowSummary> out = liveShadow;
    if (summary != null && out != null) {
      out.accept(summary);
    }
    clips.shadowTick(id, t, sample.getDisagreement(), sample.getUncertainty());
  }

  /** A prediction from the shadow topic (MQTT thread). */
  void prediction(ShadowPrediction p) {
    long now = System.nanoTime();
    String problem = shadow.offer(p, now);
    String report = problem != null ? badPredictions.occurred(now, problem) : badPredictions.cleared(now);
    if (report != null) {
      LOG.warn("robot {}: {}", robotId, report);
    }
  }

  /** A safety event of episode {@code w} (null: none), from {@link BridgeOutputs#safetyEvent}. */
  void safetyEvent(SafetyEvent e, EpisodeWriter w) {
    clips.safetyEvent(idOf(w), e);
  }

  /** An episode finished (its writer's thread): open spans end, a failure is clipped, so is a takeover in it. */
  void episodeFinished(EpisodeSummary s) {
    try {
      judgeFinished(s);
    } finally {
      synchronized (this) {
        if (finished.size() == 16) {
          finished.removeFirst();
        }
        finished.addLast(s.episodeId());
        notifyAll();
      }
    }
  }

  /**
   * Waits (at most {@code timeoutMs}) until {@link #episodeFinished} handled {@code episodeId}: the writer tells
   * its listener only after {@link EpisodeWriter#finish} returned, so a stop's reply would otherwise race the
   * episode's clips. True when handled.
   */
  synchronized boolean awaitFinished(String episodeId, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!finished.contains(episodeId)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void judgeFinished(EpisodeSummary s) {
    long first;
    long last;
    long since = -1;
    String what = "";
    synchronized (this) {
      if (s.episodeId().equals(episode)) {
        first = firstNs;
        last = lastNs;
      } else if (s.episodeId().equals(endedEpisode)) {
        first = endedFirstNs;
        last = endedLastNs;
      } else {
        return; // never ticked while recording
      }
      if (s.episodeId().equals(interventionEpisode)) {
        since = interventionSinceNs;
        what = interventionWhat;
        interventionEpisode = null; // the takeover goes on, outside this episode
      }
    }
    if (since >= 0) {
      clips.takeover(s.episodeId(), since, last, what + " (until the episode ended)");
    }
    clips.episodeEnded(s.episodeId(), s.outcome(), first, last);
  }

  /** The operator took over at {@code nowNs}: marked in the recording; the clip is cut at hand-back. */
  synchronized void interventionStarted(long nowNs, String what) {
    interventionSinceNs = nowNs;
    interventionEpisode = episodeId();
    interventionWhat = what;
    annotate(nowNs, "intervention start: " + what);
  }

  /** The operator handed back at {@code nowNs}: the corrective segment becomes a takeover clip. */
  void interventionEnded(long nowNs, String what) {
    long since;
    String ep;
    String started;
    synchronized (this) {
      since = interventionSinceNs;
      ep = interventionEpisode;
      started = interventionWhat;
      interventionSinceNs = -1;
      interventionEpisode = null;
    }
    annotate(nowNs, "intervention end: " + what);
    if (since >= 0) {
      clips.takeover(ep, since, nowNs, started + "; " + what);
    }
  }

  private void annotate(long nowNs, String text) {
    if (recorder != null) {
      recorder.annotate(Annotation.newBuilder().setSchemaVersion(1)
          .setStamp(Timestamp.newBuilder().setMonotonicNs(nowNs).setWallNs(Stamps.wallNanos()))
          .setKind("intervention").setText(text).build());
    }
  }

  /** The engine's part of the bridge's presence. */
  void describe(BridgeStatus.Builder b, boolean takenOver) {
    String id = episodeId();
    String s = shadow.name();
    b.setEpisodeId(id == null ? "" : id).setShadow(s == null ? "" : s).setTakenOver(takenOver);
  }

  @Override
  public void close() {
    clips.close();
  }
}
