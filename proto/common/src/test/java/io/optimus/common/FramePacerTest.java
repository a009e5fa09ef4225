package io.optimus.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class FramePacerTest {
  @Test
  void ticksAreExactlyOnePeriodApartOnTheSchedule() throws InterruptedException {
    FramePacer p = new FramePacer(200);
    long first = p.await();
    long previous = first;
    for (int i = 1; i <= 20; i++) {
      long t = p.await();
      if (p.overruns() == 0) {
        assertEquals(p.periodNs(), t - previous, "tick " + i + " is on the absolute schedule");
      }
      assertTrue(System.nanoTime() >= t, "a tick is never returned before its time");
      previous = t;
    }
  }

  @Test
  void aLateCallerSkipsMissedTicksInsteadOfBursting() throws InterruptedException {
    FramePacer p = new FramePacer(1000);
    p.await();
    LockSupport.parkNanos(20_000_000L); // miss about 20 ticks
    long late = p.await();
    assertEquals(1, p.overruns());
    long next = p.await();
    // bursting would hand out the missed slots (late + 1 ms, + 2 ms, ...); skipping goes on from now
    assertTrue(next - late > 10 * p.periodNs(), "the missed ticks were skipped: " + (next - late) + " ns");
  }

  @Test
  void aTickMissedByMoreThanAPeriodIsNotMadeUpBackToBack() throws InterruptedException {
    FramePacer p = new FramePacer(100); // 10 ms
    p.await();
    LockSupport.parkNanos(25_000_000L); // the next tick is 15 ms late, the one after already due
    long late = p.await();
    long next = p.await();
    assertEquals(1, p.overruns(), "the missed tick restarted the schedule");
    assertTrue(next - late > p.periodNs(), "no catch-up tick one period after the late one: " + (next - late));
  }

  @Test
  void wakeEarlyTakesTheTickAtOnceAndRestartsTheSchedule() throws InterruptedException {
    FramePacer p = new FramePacer(2); // 500 ms period
    p.await();
    AtomicBoolean fresh = new AtomicBoolean();
    Thread me = Thread.currentThread();
    Thread.ofPlatform().start(() -> {
      LockSupport.parkNanos(20_000_000L);
      fresh.set(true);
      LockSupport.unpark(me);
    });
    long before = System.nanoTime();
    long t = p.await(fresh::get);
    assertTrue(t - before < 400_000_000L, "woken by the event, not the period");
    long next = p.await(); // the period restarts from the early tick
    assertEquals(p.periodNs(), next - t);
  }

  @Test
  void awaitWhileStopsWhenTheFlagDrops() {
    FramePacer p = new FramePacer(1); // 1 s period
    AtomicBoolean running = new AtomicBoolean(true);
    assertTrue(p.awaitWhile(running::get, () -> false) >= 0);
    Thread me = Thread.currentThread();
    Thread.ofPlatform().start(() -> {
      LockSupport.parkNanos(20_000_000L);
      running.set(false);
      LockSupport.unpark(me);
    });
    long before = System.nanoTime();
    assertEquals(-1, p.awaitWhile(running::get, () -> false));
    assertTrue(System.nanoTime() - before < 900_000_000L, "stopped without waiting out the period");
  }

  @Test
  void anInterruptEndsAwait() {
    FramePacer p = new FramePacer(1);
    assertTrue(assertDoesNotThrowTick(p) >= 0);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, p::await);
  }

  @Test
  void badRatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FramePacer(0));
    assertThrows(IllegalArgumentException.class, () -> new FramePacer(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new FramePacer(5000));
    assertThrows(IllegalArgumentException.class, () -> FramePacer.ofPeriod(10));
  }

  private static long assertDoesNotThrowTick(FramePacer p) {
    try {
      return p.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
