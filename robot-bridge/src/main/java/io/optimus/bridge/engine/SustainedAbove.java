package io.optimus.bridge.engine;

/**
 * Finds spans where a value stays above a threshold for at least a minimum duration (the disagreement
 * and uncertainty triggers). Fed one sample at a time on one thread; allocation-free until a span ends.
 */
public final class SustainedAbove {
  /** A finished span: [startNs, endNs] and the highest value seen in it. */
  public record Span(long startNs, long endNs, double peak) {}

  private final double threshold;
  private final long minNs;
  private long startNs = -1;
  private long lastNs;
  private double peak;

  /** @param threshold above which a sample counts; @param minSeconds how long it must last to be a span */
  public SustainedAbove(double threshold, double minSeconds) {
    if (!(threshold >= 0) || !(minSeconds >= 0) || !Double.isFinite(threshold) || !Double.isFinite(minSeconds)) {
      throw new IllegalArgumentException("threshold " + threshold + " and minimum " + minSeconds + " s must be finite, >= 0");
    }
    this.threshold = threshold;
    this.minNs = (long) (minSeconds * 1e9);
  }

  /** A sample at {@code tNs}: the span it ended (long enough), or null. NaN counts as above (a broken policy). */
  public Span update(long tNs, double value) {
    if (value > threshold || Double.isNaN(value)) {
      double v = Double.isNaN(value) ? Double.MAX_VALUE : value;
      if (startNs < 0) {
        startNs = tNs;
        peak = v;
      } else {
        peak = Math.max(peak, v);
      }
      lastNs = tNs;
      return null;
    }
    return end();
  }

  /** Ends an open span (the episode or the shadow stopped): it, if long enough, or null. */
  public Span end() {
    if (startNs < 0) {
      return null;
    }
    Span s = lastNs - startNs >= minNs ? new Span(startNs, lastNs, peak) : null;
    startNs = -1;
    return s;
  }

  public boolean open() {
    return startNs >= 0;
  }
}
