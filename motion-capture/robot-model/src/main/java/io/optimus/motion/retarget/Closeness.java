package io.optimus.motion.retarget;

import java.util.Arrays;

/**
 * How closely the robot followed one body segment of the scaled operator over a set of samples:
 * position error (metres) mean, 95th percentile and max; orientation error (degrees) likewise; and
 * the share of samples within {@link #POSITION_OK_M} and {@link #ORIENTATION_OK_DEG} at once. The
 * one definition behind {@code mocap retarget}'s per-segment table and the bridge's live figures.
 */
public record Closeness(int samples, double positionMeanM, double positionP95M, double positionMaxM,
    double orientationMeanDeg, double orientationP95Deg, double orientationMaxDeg, double withinShare) {
  /** A sample is "close" within this position error, metres... */
  public static final double POSITION_OK_M = 0.03;
  /** ...and this orientation error, degrees. */
  public static final double ORIENTATION_OK_DEG = 10;

  /**
   * Summarises the first {@code n} samples of {@code positionM} and {@code orientationDeg} (left in
   * place); {@code scratch} holds at least n doubles. Null when n is 0.
   */
  public static Closeness of(double[] positionM, double[] orientationDeg, int n, double[] scratch) {
    if (n <= 0) {
      return null;
    }
    int within = 0;
    double ps = 0;
    double rs = 0;
    for (int i = 0; i < n; i++) {
      double p = positionM[i];
      double r = orientationDeg[i];
      if (p <= POSITION_OK_M && r <= ORIENTATION_OK_DEG) {
        within++;
      }
      ps += p;
      rs += r;
    }
    System.arraycopy(positionM, 0, scratch, 0, n);
    Arrays.sort(scratch, 0, n);
    double pp95 = scratch[p95Index(n)];
    double pmax = scratch[n - 1];
    System.arraycopy(orientationDeg, 0, scratch, 0, n);
    Arrays.sort(scratch, 0, n);
    return new Closeness(n, ps / n, pp95, pmax, rs / n, scratch[p95Index(n)], scratch[n - 1], (double) within / n);
  }

  /** The 95th percentile's index in n sorted samples: floor(0.95 (n - 1)), as {@code mocap retarget} reports it. */
  public static int p95Index(int n) {
    return (int) Math.floor(0.95 * (n - 1));
  }
}
