package io.optimus.bridge.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused operator frames by {@link FrameDrop} reason and logs them at most once per
 * {@link #LOG_PERIOD_NS}: one line with the totals and the latest reason in words, so a flood of bad
 * frames (a second publisher, a broken client) is visible without flooding the log.
 */
public final class FrameDropCounter {
  public static final long LOG_PERIOD_NS = 5_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(FrameDropCounter.class);
  private static final FrameDrop[] REASONS = FrameDrop.values();

  private final String robotId;
  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);
  private long lastLogNs;
  private boolean logged;
  private volatile boolean unreported;
  private long lastReportNs;

  public FrameDropCounter(String robotId) {
    this.robotId = robotId;
  }

  /** Counts one drop; true when this call wrote the (rate-limited) log line. */
  public boolean count(FrameDrop reason, String detail, long nowNs) {
    counts.incrementAndGet(reason.ordinal());
    unreported = true;
    synchronized (this) {
      if (logged && nowNs - lastLogNs < LOG_PERIOD_NS) {
        return false;
      }
      logged = true;
      lastLogNs = nowNs;
    }
    LOG.warn("operator frames dropped on {}: {} (latest: {})", robotId, snapshot(), detail);
    return true;
  }

  /**
   * True (once) when counts changed since the last time this said so, at most every {@code periodNs}:
   * for republishing them (BridgeStatus) without a message per dropped frame.
   */
  public boolean reportDue(long nowNs, long periodNs) {
    if (!unreported) {
      return false;
    }
    synchronized (this) {
      if (nowNs - lastReportNs < periodNs && lastReportNs != 0) {
        return false;
      }
      lastReportNs = nowNs;
      unreported = false;
      return true;
    }
  }

  public long count(FrameDrop reason) {
    return counts.get(reason.ordinal());
  }

  public long total() {
    long n = 0;
    for (int i = 0; i < REASONS.length; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** Non-zero counts by label, in {@link FrameDrop} order. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (FrameDrop r : REASONS) {
      long n = counts.get(r.ordinal());
      if (n > 0) {
        m.put(r.label(), n);
      }
    }
    return m;
  }
}
