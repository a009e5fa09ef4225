package io.optimus.motion.record;

import java.util.Arrays;

/**
 * Frame-rate statistics of one channel, from the messages' own stamps (publish time): a gap is an
 * interval longer than 1.5 nominal periods (nominal = the channel's declared rate, else the median).
 */
public record RateStats(long frames, double nominalHz, double meanHz, double minIntervalS, double medianIntervalS,
    double p99IntervalS, double maxIntervalS, long gaps, double maxGapS) {

  /** Statistics of the given times (ns, in order of recording); {@code nominalHz} 0 = unknown. */
  public static RateStats of(long[] timesNs, int n, double nominalHz) {
    if (n < 2) {
      return new RateStats(n, nominalHz, 0, 0, 0, 0, 0, 0, 0);
    }
    double[] dt = new double[n - 1];
    for (int i = 1; i < n; i++) {
      dt[i - 1] = (timesNs[i] - timesNs[i - 1]) / 1e9;
    }
    double[] sorted = dt.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double period = nominalHz > 0 ? 1 / nominalHz : median;
    long gaps = 0;
    double maxGap = 0;
    for (double d : dt) {
      if (period > 0 && d > 1.5 * period) {
        gaps++;
        maxGap = Math.max(maxGap, d);
      }
    }
    double span = (timesNs[n - 1] - timesNs[0]) / 1e9;
    return new RateStats(n, nominalHz, span > 0 ? (n - 1) / span : 0, sorted[0], median,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)], sorted[sorted.length - 1],
        gaps, maxGap);
  }
}
