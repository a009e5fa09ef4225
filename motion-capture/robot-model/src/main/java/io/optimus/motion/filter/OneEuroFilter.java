package io.optimus.motion.filter;

/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a first-order low-pass whose cutoff rises
 * with speed, so slow motion is smoothed (jitter removed) and fast motion lags little.
 *
 * <p>Per sample: the derivative is estimated and low-passed at {@code derivativeCutoff}; the value's
 * cutoff is {@code minCutoff + beta * |derivative|}; the value is low-passed at that cutoff with
 * {@code alpha = 1 / (1 + 1 / (2 pi cutoff dt))}.
 *
 * <ul>
 *   <li>{@code minCutoff} (Hz): cutoff when still. Lower = less jitter, more lag at low speed.
 *       1.0 Hz is a good start for hand positions in metres.
 *   <li>{@code beta} (s/unit): how fast the cutoff rises with speed. Raise it until fast motion
 *       stops lagging. ~0.5-5 for metres, ~0.1-0.5 for radians.
 *   <li>{@code derivativeCutoff} (Hz): cutoff of the speed estimate; 1.0 Hz as in the paper.
 * </ul>
 *
 * Filters a vector of {@code dims} values sharing one timestamp; the cutoff adapts per component.
 * Allocation-free; not thread-safe. Non-finite samples are ignored (the last output is held).
 */
public final class OneEuroFilter {
  private final int dims;
  private final double minCutoff;
  private final double beta;
  private final double derivativeCutoff;
  private final double[] x;
  private final double[] dx;
  private boolean primed;

  public OneEuroFilter(int dims, double minCutoff, double beta, double derivativeCutoff) {
    if (dims <= 0 || !(minCutoff > 0) || !(beta >= 0) || !(derivativeCutoff > 0)) {
      throw new IllegalArgumentException("OneEuroFilter: dims > 0, minCutoff > 0, beta >= 0, derivativeCutoff > 0");
    }
    this.dims = dims;
    this.minCutoff = minCutoff;
    this.beta = beta;
    this.derivativeCutoff = derivativeCutoff;
    x = new double[dims];
    dx = new double[dims];
  }

  public double minCutoff() {
    return minCutoff;
  }

  public double beta() {
    return beta;
  }

  public double derivativeCutoff() {
    return derivativeCutoff;
  }

  public int dims() {
    return dims;
  }

  /** Forgets the history: the next sample passes through unfiltered. */
  public void reset() {
    primed = false;
  }

  /** Restarts from {@code value} with zero speed. */
  public void reset(double[] value) {
    System.arraycopy(value, 0, x, 0, dims);
    java.util.Arrays.fill(dx, 0);
    primed = true;
  }

  public boolean primed() {
    return primed;
  }

  /**
   * Filters one sample taken {@code dt} seconds after the previous one; writes the estimate into
   * {@code out} (may be {@code in}). A non-positive or non-finite dt, or a non-finite sample, holds
   * the previous estimate.
   */
  public void filter(double[] in, double dt, double[] out) {
    boolean finite = true;
    for (int i = 0; i < dims; i++) {
      finite &= Double.isFinite(in[i]);
    }
    if (!primed) {
      if (finite) {
        System.arraycopy(in, 0, x, 0, dims);
        java.util.Arrays.fill(dx, 0);
        primed = true;
      }
      System.arraycopy(x, 0, out, 0, dims);
      return;
    }
    if (!finite || !(dt > 0) || !Double.isFinite(dt)) {
      System.arraycopy(x, 0, out, 0, dims);
      return;
    }
    double ad = alpha(derivativeCutoff, dt);
    for (int i = 0; i < dims; i++) {
      double d = (in[i] - x[i]) / dt;
      dx[i] += ad * (d - dx[i]);
      double a = alpha(minCutoff + beta * Math.abs(dx[i]), dt);
      x[i] += a * (in[i] - x[i]);
      out[i] = x[i];
    }
  }

  /** Scalar convenience for a one-dimensional filter. */
  public double filter(double value, double dt) {
    if (dims != 1) {
      throw new IllegalStateException("filter(double, double) needs a one-dimensional filter");
    }
    double[] one = {value};
    filter(one, dt, one);
    return one[0];
  }

  private static double alpha(double cutoff, double dt) {
    double tau = 1 / (2 * Math.PI * cutoff);
    return 1 / (1 + tau / dt);
  }
}
