package io.optimus.common;

import io.optimus.proto.v1.Timestamp;

/** Time as the protocol carries it: monotonic nanoseconds plus wall clock. */
public final class Stamps {
  private Stamps() {}

  /** Now, on this host's monotonic clock and the wall clock. */
  public static Timestamp now() {
    long mono = System.nanoTime();
    java.time.Instant wall = java.time.Instant.now();
    return Timestamp.newBuilder()
        .setMonotonicNs(mono)
        .setWallNs(wall.getEpochSecond() * 1_000_000_000L + wall.getNano())
        .build();
  }

  /** Wall-clock nanoseconds since the Unix epoch. */
  public static long wallNanos() {
    java.time.Instant wall = java.time.Instant.now();
    return wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
  }
}
