package io.optimus.teleop.source;

import java.util.concurrent.locks.LockSupport;

/** Fixed-rate pacing for sources without a compositor: ticks on absolute deadlines, so it never drifts. */
public final class FramePacer {
  private final long periodNs;
  private long nextNs;

  public FramePacer(double rateHz) {
    if (!(rateHz > 0 && rateHz <= 1000)) {
      throw new IllegalArgumentException("frame rate " + rateHz + " Hz is out of range (0, 1000]");
    }
    this.periodNs = Math.round(1e9 / rateHz);
  }

  public long periodNs() {
    return periodNs;
  }

  /** Waits for the next tick and returns its time (System.nanoTime). A late caller skips missed ticks. */
  public long await() throws InterruptedException {
    long now = System.nanoTime();
    if (nextNs == 0) {
      nextNs = now;
    }
    while (now < nextNs) {
      LockSupport.parkNanos(nextNs - now);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      now = System.nanoTime();
    }
    long tick = nextNs;
    nextNs += periodNs;
    if (now - nextNs > periodNs) {
      nextNs = now + periodNs;
    }
    return tick;
  }
}
