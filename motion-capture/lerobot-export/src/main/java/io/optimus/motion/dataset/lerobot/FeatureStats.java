package io.optimus.motion.dataset.lerobot;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statistics of one feature, per dimension (or per colour channel, in [0, 1], for a video), laid out
 * as LeRobot's {@code compute_stats}: min, max, mean, std (population), count and the quantiles
 * q01, q10, q50, q90, q99.
 */
public record FeatureStats(double[] min, double[] max, double[] mean, double[] std, long count, double[][] quantiles) {

  /** Exact statistics of {@code n} rows of {@code dims} values (row-major); quantiles interpolate linearly. */
  public static FeatureStats of(float[] rows, int n, int dims) {
    double[] d = new double[n * dims];
    for (int i = 0; i < d.length; i++) {
      d[i] = rows[i];
    }
    return of(d, n, dims);
  }

  /** As {@link #of(float[], int, int)} for values already in double. */
  public static FeatureStats of(double[] rows, int n, int dims) {
    double[] min = new double[dims];
    double[] max = new double[dims];
    double[] mean = new double[dims];
    double[] std = new double[dims];
    double[][] q = new double[LeRobotLayout.QUANTILES.length][dims];
    double[] column = new double[n];
    for (int d = 0; d < dims; d++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        column[i] = rows[i * dims + d];
        sum += column[i];
      }
      double m = sum / n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        ss += (column[i] - m) * (column[i] - m);
      }
      Arrays.sort(column, 0, n);
      min[d] = column[0];
      max[d] = column[n - 1];
      mean[d] = m;
      std[d] = Math.sqrt(ss / n);
      for (int k = 0; k < LeRobotLayout.QUANTILES.length; k++) {
        q[k][d] = quantile(column, n, LeRobotLayout.QUANTILES[k]);
      }
    }
    return new FeatureStats(min, max, mean, std, n, q);
  }

  /** Per-channel statistics, scaled to [0, 1], of 8-bit values counted in {@code histograms[channel][value]}. */
  public static FeatureStats ofHistograms(long[][] histograms, long images) {
    int channels = histograms.length;
    double[] min = new double[channels];
    double[] max = new double[channels];
    double[] mean = new double[channels];
    double[] std = new double[channels];
    double[][] q = new double[LeRobotLayout.QUANTILES.length][channels];
    for (int c = 0; c < channels; c++) {
      long[] h = histograms[c];
      long total = 0;
      double sum = 0;
      double sumSq = 0;
      int lo = -1;
      int hi = -1;
      for (int v = 0; v < 256; v++) {
        if (h[v] > 0) {
          lo = lo < 0 ? v : lo;
          hi = v;
          total += h[v];
          sum += (double) h[v] * v;
          sumSq += (double) h[v] * v * v;
        }
      }
      double m = sum / total;
      min[c] = lo / 255.0;
      max[c] = hi / 255.0;
      mean[c] = m / 255.0;
      std[c] = Math.sqrt(Math.max(0, sumSq / total - m * m)) / 255.0;
      for (int k = 0; k < LeRobotLayout.QUANTILES.length; k++) {
        double target = LeRobotLayout.QUANTILES[k] * (total - 1);
        long seen = 0;
        int v = 0;
        while (v < 255 && seen + h[v] <= target) {
          seen += h[v++];
        }
        q[k][c] = v / 255.0;
      }
    }
    return new FeatureStats(min, max, mean, std, images, q);
  }

  /** LeRobot's {@code aggregate_feature_stats}: count-weighted means, pooled variance, weighted quantiles. */
  public static FeatureStats aggregate(List<FeatureStats> parts) {
    int dims = parts.get(0).mean.length;
    double[] min = new double[dims];
    double[] max = new double[dims];
    double[] mean = new double[dims];
    double[] std = new double[dims];
    double[][] q = new double[LeRobotLayout.QUANTILES.length][dims];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    long total = 0;
    for (FeatureStats p : parts) {
      total += p.count;
    }
    for (FeatureStats p : parts) {
      double w = (double) p.count / total;
      for (int d = 0; d < dims; d++) {
        min[d] = Math.min(min[d], p.min[d]);
        max[d] = Math.max(max[d], p.max[d]);
        mean[d] += w * p.mean[d];
        for (int k = 0; k < q.length; k++) {
          q[k][d] += w * p.quantiles[k][d];
        }
      }
    }
    for (FeatureStats p : parts) {
      double w = (double) p.count / total;
      for (int d = 0; d < dims; d++) {
        double delta = p.mean[d] - mean[d];
        std[d] += w * (p.std[d] * p.std[d] + delta * delta);
      }
    }
    for (int d = 0; d < dims; d++) {
      std[d] = Math.sqrt(std[d]);
    }
    return new FeatureStats(min, max, mean, std, total, q);
  }

  /** Named statistic vectors in LeRobot's order: min, max, mean, std, q01 ... q99 (count apart). */
  public Map<String, double[]> vectors() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("min", min);
    m.put("max", max);
    m.put("mean", mean);
    m.put("std", std);
    for (int k = 0; k < quantiles.length; k++) {
      m.put(LeRobotLayout.QUANTILE_KEYS.get(k), quantiles[k]);
    }
    return m;
  }

  private static double quantile(double[] sorted, int n, double p) {
    double pos = p * (n - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(i + 1, n - 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }
}
