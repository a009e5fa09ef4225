package io.optimus.common;

import java.util.Arrays;

/**
 * The newest {@code capacity} samples of one measurement (e.g. a latency in ns) in a preallocated ring,
 * with nearest-rank quantiles over them. Adding does not allocate; thread-safe (one lock).
 */
public final class SampleRing {
  private final long[] samples;
  private long total;

  public SampleRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " < 1");
    }
    samples = new long[capacity];
  }

  public synchronized void add(long v) {
    samples[(int) (total % samples.length)] = v;
    total++;
  }

  /** Samples added so far (also those the ring no longer holds). */
  public synchronized long total() {
    return total;
  }

  public synchronized void clear() {
    total = 0;
  }

  /** A sorted copy of the samples held. */
  public synchronized long[] sorted() {
    long[] a = Arrays.copyOf(samples, (int) Math.min(total, samples.length));
    Arrays.sort(a);
    return a;
  }

  /** The q-quantile (0..1) of the samples held, nearest rank; -1 when there are none. */
  public long quantile(double q) {
    return quantile(sorted(), q);
  }

  /** The q-quantile (0..1) of sorted samples, nearest rank; -1 when empty. */
  public static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
