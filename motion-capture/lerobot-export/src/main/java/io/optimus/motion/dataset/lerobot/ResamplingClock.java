package io.optimus.motion.dataset.lerobot;

/**
 * The export's time grid: tick k of an episode is at {@code start + k/fps} seconds. A recorded
 * sample (publish time t ns) is at or before tick k when {@code (t - start) * fps <= k * 1e9},
 * compared in integers so that no rounding decides which sample a tick holds.
 */
record ResamplingClock(long startNs, int fps) {
  /** Ticks from start up to and including {@code lastNs}. */
  int ticksUntil(long lastNs) {
    long n = Math.floorDiv(Math.subtractExact(lastNs, startNs) * fps, 1_000_000_000L) + 1;
    if (n > Integer.MAX_VALUE) {
      throw new ArithmeticException("episode too long: " + n + " frames");
    }
    return (int) n;
  }

  boolean atOrBefore(long sampleNs, int tick) {
    return (sampleNs - startNs) * fps <= tick * 1_000_000_000L;
  }
}
