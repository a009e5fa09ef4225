package io.optimus.bridge.control;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From the control thread to its reporter thread: a single-producer, single-consumer ring of preallocated
 * slots. The control thread never waits on it and never allocates. A slot for a tick no episode records is
 * refused (and counted) once {@code telemetryBacklog} wait: MQTT telemetry a second old is worth little. A
 * recorded tick's slot may fill the whole ring: an episode loses a report only if the reporter is starved
 * for the ring's length, and then it is counted apart ({@link #recordedDropped}) and logged. Waiting for
 * room instead would hold up the tick, and with it the next e-stop's effect; growing the ring would
 * allocate on the control thread without bound while an output is stuck. The reporter delivers what was
 * published, in order, then parks until woken.
 *
 * @param <T> the slot: filled by the producer between {@link #claim} and {@link #publish}, read by the
 *     delivery on the reporter thread, then reused
 */
final class ReportRing<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportRing.class);

  private final String name;
  private final T[] ring;
  private final int telemetryBacklog;
  private final Consumer<T> delivery;
  private final AtomicLong head = new AtomicLong();
  private final AtomicLong tail = new AtomicLong();
  private final Thread thread;
  private volatile boolean open = true;
  private volatile long dropped;
  private volatile long recordedDropped;
  private long recordedDroppedLogged;
  private long failed;
  /** The slot claimed and not yet published (producer only). */
  private long claimed = -1;

  /**
   * Starts the reporter thread, named {@code threadName}, which hands every published slot to
   * {@code delivery}.
   */
  ReportRing(String name, T[] slots, int telemetryBacklog, Consumer<T> delivery, String threadName) {
    this.name = name;
    this.ring = slots;
    this.telemetryBacklog = telemetryBacklog;
    this.delivery = delivery;
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
  }

  /** The next free slot, or null (counted) when the backlog is at the limit for a recorded or other tick. */
  T claim(boolean recorded) {
    long h = head.get();
    if (h - tail.get() >= (recorded ? ring.length : telemetryBacklog)) {
      if (recorded) {
        recordedDropped++; // single writer
      } else {
        dropped++;
      }
      return null;
    }
    claimed = h;
    return ring[(int) (h % ring.length)];
  }

  /** Hands the claimed slot to the reporter (it is woken by {@link #wake}). */
  void publish() {
    head.lazySet(claimed + 1);
  }

  /**
   * Wakes the reporter for what was published: called after the tick, so a reporter the scheduler puts on
   * the loop's core at once (a woken thread often preempts its waker) takes idle time, not the tick's.
   */
  void wake() {
    if (tail.get() < head.get()) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    while (true) {
      long t = tail.get();
      if (t < head.get()) {
        try {
          delivery.accept(ring[(int) (t % ring.length)]);
        } catch (RuntimeException e) {
          if (failed++ % 1000 == 0) { // an output failing every tick would otherwise log 250 times a second
            LOG.error("reports of {}: {} could not be delivered", name, failed, e);
          }
        }
        tail.lazySet(t + 1);
        long lost = recordedDropped;
        if (lost != recordedDroppedLogged) {
          recordedDroppedLogged = lost;
          LOG.error("reports of {}: {} of recorded ticks dropped so far, the reporter fell {} reports behind",
              name, lost, ring.length);
        }
      } else if (!open) {
        return;
      } else {
        LockSupport.parkNanos(20_000_000L);
      }
    }
  }

  /**
   * Waits until everything published before this call has been delivered, or until {@code deadlineNs}
   * ({@link System#nanoTime}); true when delivered. False at once on the reporter's own thread.
   */
  boolean awaitDelivered(long deadlineNs) {
    if (Thread.currentThread() == thread) {
      return false;
    }
    long h = head.get();
    while (tail.get() < h) {
      if (!thread.isAlive() || System.nanoTime() - deadlineNs >= 0) {
        return false;
      }
      LockSupport.unpark(thread);
      LockSupport.parkNanos(200_000L);
    }
    return true;
  }

  boolean onReporterThread() {
    return Thread.currentThread() == thread;
  }

  /** Slots of unrecorded ticks refused because the backlog was at its limit. */
  long dropped() {
    return dropped;
  }

  /** Slots of recorded ticks refused because the whole ring was waiting. */
  long recordedDropped() {
    return recordedDropped;
  }

  /** Delivers what is left (at most {@code drainNs}), then ends the reporter thread. */
  void close(long drainNs) {
    open = false;
    LockSupport.unpark(thread);
    try {
      thread.join(drainNs / 1_000_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("reports of {}: {} not delivered {} s after the loop stopped", name, head.get() - tail.get(),
          drainNs / 1_000_000_000L);
    }
  }
}
