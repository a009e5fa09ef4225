package io.optimus.policy.runtime;

import java.util.Arrays;

/** Wall time of policy steps and of image encodings, for the inference-time figures of the bench. */
public final class InferenceTimer {
  private long[] steps = new long[1024];
  private long[] stepCpu = new long[1024];
  private int nSteps;
  private long[] encodes = new long[256];
  private int nEncodes;

  /** @param cpuNanos CPU time of the calling thread (PyTorch at one intra-op thread does all its work there) */
  synchronized void stepped(long nanos, long cpuNanos) {
    if (nSteps == steps.length) {
      steps = Arrays.copyOf(steps, nSteps * 2);
      stepCpu = Arrays.copyOf(stepCpu, nSteps * 2);
    }
    stepCpu[nSteps] = cpuNanos;
    steps[nSteps++] = nanos;
  }

  /**
   * Percentile of the policy step's thread CPU time in ms: on a shared, overloaded machine the
   * wall time includes waiting for a core; this is what the step costs.
   */
  public synchronized double stepCpuMs(double percentile) {
    return percentile(stepCpu, nSteps, percentile);
  }

  synchronized void encoded(long nanos) {
    if (nEncodes == encodes.length) {
      encodes = Arrays.copyOf(encodes, nEncodes * 2);
    }
    encodes[nEncodes++] = nanos;
  }

  /** Percentile (0-100) of policy step time in ms (NaN when none). */
  public synchronized double stepMs(double percentile) {
    return percentile(steps, nSteps, percentile);
  }

  public synchronized double encodeMs(double percentile) {
    return percentile(encodes, nEncodes, percentile);
  }

  public synchronized int steps() {
    return nSteps;
  }

  public synchronized int encodes() {
    return nEncodes;
  }

  /** Mean total inference per policy step: the step plus the encodings amortized over the steps. */
  public synchronized double meanMsPerStep() {
    if (nSteps == 0) {
      return Double.NaN;
    }
    long sum = 0;
    for (int i = 0; i < nSteps; i++) {
      sum += steps[i];
    }
    for (int i = 0; i < nEncodes; i++) {
      sum += encodes[i];
    }
    return sum / 1e6 / nSteps;
  }

  private static double percentile(long[] v, int n, double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] s = Arrays.copyOf(v, n);
    Arrays.sort(s);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
    return s[i] / 1e6;
  }
}
