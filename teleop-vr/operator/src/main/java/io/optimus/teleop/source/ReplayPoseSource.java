package io.optimus.teleop.source;

import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code replay:EPISODE}: the operator stream recorded in an episode, sent again with its original
 * timing and fresh capture stamps. Poses, hands, buttons and the deadman/calibrating levels are
 * replayed; events are derived again from the buttons downstream (fresh ids, the robot acts once).
 * A recording whose first frame holds the deadman (recording started while it was held) is preceded
 * by its first frame with the deadman released for {@link DeadmanLeadIn#SECONDS}, so that the press
 * engages the robot.
 */
public final class ReplayPoseSource implements PoseSource {
  private final List<OperatorFrame> frames;
  private final long[] offsetsNs;
  private final String name;
  /** Released copies of the first frame sent before the recording (0 when it starts released). */
  private final int leadInFrames;
  private final long leadInPeriodNs;
  private int next;
  private long startNs = -1;

  public ReplayPoseSource(Path episode) {
    if (!Files.isRegularFile(episode)) {
      throw new InputException("episode '" + episode + "' does not exist");
    }
    List<OperatorFrame> list = new ArrayList<>();
    List<Long> logTimes = new ArrayList<>();
    List<Long> captureTimes = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(episode)) {
      Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.OPERATOR));
      while (it.hasNext()) {
        EpisodeFrame f = it.next();
        OperatorFrame o = f.as(OperatorFrame.class);
        list.add(o);
        logTimes.add(f.logTimeNs());
        captureTimes.add(o.getCaptureTime().getMonotonicNs());
      }
    } catch (IOException e) {
      throw new InputException("episode '" + episode + "' cannot be read: " + e.getMessage(), e);
    }
    if (list.isEmpty()) {
      throw new InputException("episode '" + episode + "' has no operator frames (" + EpisodeTopics.OPERATOR + ") to replay");
    }
    frames = list;
    // the operator's own clock paces best; arrival times (log times) when the capture stamps are missing
    boolean captured = captureTimes.stream().allMatch(t -> t != 0);
    List<Long> times = captured ? captureTimes : logTimes;
    offsetsNs = new long[times.size()];
    for (int i = 0; i < offsetsNs.length; i++) {
      offsetsNs[i] = Math.max(i == 0 ? 0 : offsetsNs[i - 1], times.get(i) - times.get(0));
    }
    name = "replay:" + episode.getFileName();
    leadInPeriodNs = typicalIntervalNs(offsetsNs);
    leadInFrames = deadmanHeld(list.get(0)) ? (int) Math.max(1, Math.round(DeadmanLeadIn.NANOS / (double) leadInPeriodNs)) : 0;
  }

  private static boolean deadmanHeld(OperatorFrame f) {
    return f.getCommands().getDeadman() || Math.max(f.getLeft().getSqueeze(), f.getRight().getSqueeze())
        >= io.optimus.teleop.controls.OperatorControls.DEADMAN_ON;
  }

  /** The median interval between recorded frames, within 1-100 ms (1/90 s when there is none). */
  private static long typicalIntervalNs(long[] offsets) {
    if (offsets.length < 2) {
      return 11_111_111L;
    }
    long[] d = new long[offsets.length - 1];
    for (int i = 1; i < offsets.length; i++) {
      d[i - 1] = offsets[i] - offsets[i - 1];
    }
    java.util.Arrays.sort(d);
    return Math.max(1_000_000L, Math.min(100_000_000L, d[d.length / 2]));
  }

  /** Frames this source sends: the lead-in and the recording. */
  public int totalFrames() {
    return leadInFrames + frames.size();
  }

  public int frameCount() {
    return frames.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    if (next >= totalFrames()) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (startNs < 0) {
      startNs = now;
    }
    boolean leadIn = next < leadInFrames;
    long due = startNs + (leadIn ? next * leadInPeriodNs : leadInFrames * leadInPeriodNs + offsetsNs[next - leadInFrames]);
    while (now < due) {
      LockSupport.parkNanos(due - now);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      now = System.nanoTime();
    }
    OperatorFrame recorded = frames.get(leadIn ? 0 : next - leadInFrames);
    next++;
    // events get fresh ids from the replayed buttons; a deadman a source held directly is kept
    OperatorFrame.Builder f = recorded.toBuilder().clearEvents().clearSequence().clearSessionId().clearOperatorId()
        .setCommands(OperatorCommands.newBuilder().setDeadman(recorded.getCommands().getDeadman() && !leadIn)
            .setCalibrating(recorded.getCommands().getCalibrating()));
    if (leadIn) { // standing still, hands off the grips and buttons
      if (f.hasLeft()) {
        f.getLeftBuilder().setSqueeze(0).clearButtons();
      }
      if (f.hasRight()) {
        f.getRightBuilder().setSqueeze(0).clearButtons();
      }
    }
    f.setCaptureTime(Timestamp.newBuilder().setMonotonicNs(due).setWallNs(Stamps.wallNanos() + (due - now)));
    return Optional.of(f);
  }
}
