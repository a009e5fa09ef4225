package io.optimus.bridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline: no sleeps-as-synchronization. */
public final class Await {
  private Await() {}

  public static void until(BooleanSupplier condition, long timeoutMs, Supplier<String> what) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeoutMs + " ms waiting for " + what.get());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  public static void until(BooleanSupplier condition, long timeoutMs, String what) {
    until(condition, timeoutMs, () -> what);
  }
}
