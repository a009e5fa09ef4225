package io.optimus.common;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Fixed-rate pacing: ticks on absolute deadlines (so it never drifts) and returns each tick's
 * scheduled time, so a loop stepped with it sees exactly one period between ticks unless it fell
 * behind. A caller a period or more late skips the missed ticks (counted in {@link #overruns()})
 * rather than bursting through them to catch up. One pacer per loop thread; not thread-safe.
 */
public final class FramePacer {
  private final long periodNs;
  private long nextNs;
  private long overruns;

  public FramePacer(double rateHz) {
    this(periodOf(rateHz));
  }

  private FramePacer(long periodNs) {
    this.periodNs = periodNs;
  }

  /** A pacer ticking every {@code periodNs} (at least 0.1 ms). */
  public static FramePacer ofPeriod(long periodNs) {
    if (periodNs < 100_000L) {
      throw new IllegalArgumentException("frame period " + periodNs + " ns is shorter than 0.1 ms");
    }
    return new FramePacer(periodNs);
  }

  private static long periodOf(double rateHz) {
    if (!(rateHz > 0 && rateHz <= 2000)) {
      throw new IllegalArgumentException("frame rate " + rateHz + " Hz is out of range (0, 2000]");
    }
    return Math.round(1e9 / rateHz);
  }

  public long periodNs() {
    return periodNs;
  }

  /** Times the pacer fell a period or more behind and restarted its schedule. */
  public long overruns() {
    return overruns;
  }

  /** Waits for the next tick and returns its scheduled time (System.nanoTime); the first tick is now. */
  public long await() throws InterruptedException {
    return await(() -> false);
  }

  /**
   * As {@link #await()}, but {@code wakeEarly} (checked whenever the thread is unparked) ends the wait
   * at once: that tick is taken now and the schedule restarts from it. An interrupt throws.
   */
  public long await(BooleanSupplier wakeEarly) throws InterruptedException {
    long tick = pace(() -> !Thread.interrupted(), wakeEarly);
    if (tick < 0) {
      throw new InterruptedException();
    }
    return tick;
  }

  /**
   * As {@link #await(BooleanSupplier)} for loops that stop on a flag instead of an interrupt: returns
   * -1 as soon as {@code running} turns false (checked on every wake; unpark the thread to stop it).
   */
  public long awaitWhile(BooleanSupplier running, BooleanSupplier wakeEarly) {
    return running.getAsBoolean() ? pace(running, wakeEarly) : -1;
  }

  private long pace(BooleanSupplier running, BooleanSupplier wakeEarly) {
    long now = System.nanoTime();
    if (nextNs == 0) {
      nextNs = now;
    }
    while (now < nextNs) {
      LockSupport.parkNanos(nextNs - now);
      if (!running.getAsBoolean()) {
        return -1;
      }
      now = System.nanoTime();
      if (now < nextNs && wakeEarly.getAsBoolean()) {
        nextNs = now; // tick now; the period restarts from here
      }
    }
    long tick = nextNs;
    nextNs += periodNs;
    if (nextNs <= now) { // a period or more late: skip the missed ticks instead of bursting through them
      overruns++;
      nextNs = now + periodNs;
    }
    return tick;
  }
}
