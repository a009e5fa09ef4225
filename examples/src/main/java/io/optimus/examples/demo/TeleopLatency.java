package io.optimus.examples.demo;

import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Teleop latency read back from recorded JointState stage timestamps: for each operator frame, the
 * first engaged state whose stages echo its capture stamp gives capture-to-applied (the command reached the
 * body) and capture-to-published. Monotonic stamps compare only when operator and bridge share a host,
 * as they do in the demo.
 */
public record TeleopLatency(int samples, double appliedP50Ms, double appliedP99Ms, double publishedP50Ms,
    double publishedP99Ms) {

  public static TeleopLatency fromEpisodes(List<Path> episodes) throws IOException {
    long[] applied = new long[1024];
    long[] published = new long[1024];
    int n = 0;
    for (Path file : episodes) {
      try (EpisodeReader r = EpisodeReader.open(file)) {
        long lastCaptured = Long.MIN_VALUE;
        Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
        while (it.hasNext()) {
          JointState s = it.next().as(JointState.class);
          if (!s.hasStages() || !s.getStages().hasCaptured() || s.getMode() != ControlMode.CONTROL_MODE_ENGAGED) {
            continue; // teleop latency is measured while the operator drives the robot
          }
          long captured = s.getStages().getCaptured().getMonotonicNs();
          if (captured == 0 || captured == lastCaptured || s.getStages().getAppliedNs() == 0) {
            continue; // no operator frame behind this state, or one already counted
          }
          lastCaptured = captured;
          if (n == applied.length) {
            applied = Arrays.copyOf(applied, n * 2);
            published = Arrays.copyOf(published, n * 2);
          }
          applied[n] = s.getStages().getAppliedNs() - captured;
          published[n] = s.getStages().getPublishedNs() - captured;
          n++;
        }
      }
    }
    long[] a = Arrays.copyOf(applied, n);
    long[] p = Arrays.copyOf(published, n);
    Arrays.sort(a);
    Arrays.sort(p);
    return new TeleopLatency(n, quantileMs(a, 0.5), quantileMs(a, 0.99), quantileMs(p, 0.5), quantileMs(p, 0.99));
  }

  /** Nearest-rank quantile in ms; NaN without samples. */
  static double quantileMs(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
