package io.optimus.motion.bvh;

import io.optimus.motion.retarget.Closeness;
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

  /** The report, in {@link BodySegment} order (statistics as {@link Closeness#of}). */
  public List<SegmentCloseness> result() {
    List<SegmentCloseness> out = new ArrayList<>();
    for (BodySegment s : BodySegment.values()) {
      int n = count.getOrDefault(s, 0);
      if (n == 0) {
        continue;
      }
      Closeness c = Closeness.of(position.get(s), orientation.get(s), n, new double[n]);
      out.add(new SegmentCloseness(s, n, c.positionMeanM(), c.positionP95M(), c.positionMaxM(), c.orientationMeanDeg(),
          c.orientationP95Deg(), c.orientationMaxDeg(), c.withinShare()));
    }
    return out;
  }
}
