package io.optimus.motion.bvh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects per-keypoint position errors (metres) and orientation errors (radians) frame by frame and
 * reports them per {@link BodySegment}. Keypoints the robot does not track (NaN errors) are skipped;
 * a segment with no samples is left out of the report.
 */
public final class SegmentClosenessMeter {
  private final Map<BodySegment, double[]> position = new EnumMap<>(BodySegment.class);
  private final Map<BodySegment, double[]> orientation = new EnumMap<>(BodySegment.class);
  private final Map<BodySegment, Integer> count = new EnumMap<>(BodySegment.class);

  /**
   * Adds one frame: {@code positionErrorM[k.ordinal()]} and {@code orientationErrorRad[k.ordinal()]}
   * per {@link Keypoint}, NaN where not tracked.
   */
  public void add(double[] positionErrorM, double[] orientationErrorRad) {
    for (BodySegment s : BodySegment.values()) {
      for (int side = 0; side < s.ends().size(); side++) {
        double p = positionErrorM[s.ends().get(side).ordinal()];
        double r = orientationErrorRad[s.orientedBy().get(side).ordinal()];
        if (Double.isNaN(p) || Double.isNaN(r)) {
          continue;
        }
        int n = count.getOrDefault(s, 0);
        double[] ps = grow(position, s, n);
        double[] rs = grow(orientation, s, n);
        ps[n] = p;
        rs[n] = Math.toDegrees(r);
        count.put(s, n + 1);
      }
    }
  }

  private static double[] grow(Map<BodySegment, double[]> m, BodySegment s, int n) {
    double[] a = m.computeIfAbsent(s, k -> new double[256]);
    if (n == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
      m.put(s, a);
    }
    return a;
  }

  /** The report, in {@link BodySegment} order. */
  public List<SegmentCloseness> result() {
    List<SegmentCloseness> out = new ArrayList<>();
    for (BodySegment s : BodySegment.values()) {
      int n = count.getOrDefault(s, 0);
      if (n == 0) {
        continue;
      }
      double[] p = Arrays.copyOf(position.get(s), n);
      double[] r = Arrays.copyOf(orientation.get(s), n);
      int within = 0;
      for (int i = 0; i < n; i++) {
        if (p[i] <= BodySegment.POSITION_OK_M && r[i] <= BodySegment.ORIENTATION_OK_DEG) {
          within++;
        }
      }
      Arrays.sort(p);
      Arrays.sort(r);
      out.add(new SegmentCloseness(s, n, mean(p), p95(p), p[n - 1], mean(r), p95(r), r[n - 1], (double) within / n));
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Same convention as {@link MocapRetarget#p95Error}. */
  private static double p95(double[] sorted) {
    return sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
  }
}
