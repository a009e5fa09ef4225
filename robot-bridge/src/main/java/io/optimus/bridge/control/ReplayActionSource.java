package io.optimus.bridge.control;

import io.optimus.common.InputException;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Replays the commanded joint positions of a recorded episode (or any timed trajectory) in real
 * time from the moment it is activated, then holds the last sample.
 */
public final class ReplayActionSource implements ActionSource {
  private final String name;
  private final long[] timesNs;
  private final double[][] positions;
  private long startNs;
  private int index;

  /** @param timesNs sample times relative to the start (ascending) */
  public ReplayActionSource(String name, long[] timesNs, double[][] positions) {
    if (timesNs.length == 0 || timesNs.length != positions.length) {
      throw new InputException("replay '" + name + "' has no samples");
    }
    this.name = name;
    this.timesNs = timesNs.clone();
    this.positions = positions.clone();
  }

  /** The commanded positions (measured where none were commanded) of an episode's JointStates. */
  public static ReplayActionSource fromEpisode(Path file, int dof) {
    List<Long> t = new ArrayList<>();
    List<double[]> q = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(file)) {
      Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
      long t0 = Long.MIN_VALUE;
      while (it.hasNext()) {
        EpisodeFrame f = it.next();
        JointState s = f.as(JointState.class);
        int n = s.getCommandedPositionCount() > 0 ? s.getCommandedPositionCount() : s.getPositionCount();
        if (n != dof) {
          throw new InputException("episode " + file + " has " + n + " joints per state, the robot " + dof);
        }
        double[] row = new double[dof];
        for (int i = 0; i < dof; i++) {
          row[i] = s.getCommandedPositionCount() > 0 ? s.getCommandedPosition(i) : s.getPosition(i);
        }
        if (t0 == Long.MIN_VALUE) {
          t0 = f.logTimeNs();
        }
        t.add(f.logTimeNs() - t0);
        q.add(row);
      }
    } catch (IOException e) {
      throw new InputException("cannot read episode " + file + ": " + e.getMessage(), e);
    }
    if (t.isEmpty()) {
      throw new InputException("episode " + file + " holds no joint states to replay");
    }
    return new ReplayActionSource("replay:" + file.getFileName(), t.stream().mapToLong(Long::longValue).toArray(),
        q.toArray(new double[0][]));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_REPLAY;
  }

  @Override
  public void activate(ControlContext ctx) {
    startNs = ctx.nowNs;
    index = 0;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    long t = ctx.nowNs - startNs;
    while (index + 1 < timesNs.length && timesNs[index + 1] <= t) {
      index++;
    }
    double[] a = positions[index];
    if (index + 1 < timesNs.length) {
      double[] b = positions[index + 1];
      double s = (double) (t - timesNs[index]) / Math.max(1, timesNs[index + 1] - timesNs[index]);
      s = s < 0 ? 0 : (s > 1 ? 1 : s);
      for (int i = 0; i < target.length; i++) {
        target[i] = a[i] + s * (b[i] - a[i]);
      }
    } else {
      System.arraycopy(a, 0, target, 0, target.length);
    }
    return true;
  }

  public boolean finished(long nowNs) {
    return nowNs - startNs >= timesNs[timesNs.length - 1];
  }

  public double durationS() {
    return timesNs[timesNs.length - 1] / 1e9;
  }
}
