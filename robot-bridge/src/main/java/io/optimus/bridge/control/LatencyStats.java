package io.optimus.bridge.control;

import java.util.Arrays;

/**
 * Operator-frame latencies measured by the control loop (capture to received, capture to applied),
 * kept in preallocated rings (the newest {@code capacity} samples); single writer, read after the
 * fact. Only meaningful when the operator runs on the same host (monotonic clocks compare).
 */
public final class LatencyStats {
  private final long[] transport;
  private final long[] applied;
  private int count;
  private long total;

  public LatencyStats(int capacity) {
    transport = new long[capacity];
    applied = new long[capacity];
  }

  public synchronized void add(long transportNs, long appliedNs) {
    int i = (int) (total % transport.length);
    transport[i] = transportNs;
    applied[i] = appliedNs;
    total++;
    count = (int) Math.min(total, transport.length);
  }

  public synchronized void clear() {
    total = 0;
    count = 0;
  }

  public synchronized long count() {
    return total;
  }

  /** Sorted copy of the capture-to-applied samples (ns). */
  public synchronized long[] appliedSorted() {
    long[] a = Arrays.copyOf(applied, count);
    Arrays.sort(a);
    return a;
  }

  public synchronized long[] transportSorted() {
    long[] a = Arrays.copyOf(transport, count);
    Arrays.sort(a);
    return a;
  }

  /** The q-quantile (0..1) of sorted samples, nearest rank; NaN when empty. */
  public static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
