package io.optimus.motion.record;

import com.google.protobuf.Message;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded, lock-free multi-producer single-consumer queue of (topic, message, log time) in parallel
 * arrays (Vyukov's bounded queue: one sequence number per slot). Offering never blocks and never
 * allocates, so a control loop cannot be held up by the writer thread being descheduled. Bounded in
 * entries and in serialized bytes (large camera frames must not exhaust the heap): when either is
 * full the offer fails and the caller counts a drop.
 */
final class RecordQueue {
  private final int mask;
  private final AtomicLongArray sequence;
  private final String[] topics;
  private final Message[] messages;
  private final long[] times;
  private final int[] sizes;
  private final long maxBytes;
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile Thread consumer;
  private long head; // consumer only

  RecordQueue(int capacity, long maxBytes) {
    int n = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    mask = n - 1;
    sequence = new AtomicLongArray(n);
    for (int i = 0; i < n; i++) {
      sequence.set(i, i);
    }
    topics = new String[n];
    messages = new Message[n];
    times = new long[n];
    sizes = new int[n];
    this.maxBytes = maxBytes;
  }

  int capacity() {
    return mask + 1;
  }

  boolean offer(String topic, Message message, long logTime, int serializedSize) {
    long queued = bytes.get();
    if (queued > 0 && queued + serializedSize > maxBytes) {
      return false;
    }
    long pos = tail.get();
    while (true) {
      int i = (int) (pos & mask);
      long diff = sequence.get(i) - pos;
      if (diff == 0) {
        if (tail.compareAndSet(pos, pos + 1)) {
          bytes.addAndGet(serializedSize);
          topics[i] = topic;
          messages[i] = message;
          times[i] = logTime;
          sizes[i] = serializedSize;
          sequence.set(i, pos + 1); // publishes the slot to the consumer
          return true;
        }
        pos = tail.get();
      } else if (diff < 0) {
        return false; // full
      } else {
        pos = tail.get();
      }
    }
  }

  /**
   * Moves up to {@code topicOut.length} entries into the given arrays; if there are none, parks up to
   * {@code waitNanos} (or until {@link #wakeUp}) first. Returns how many were moved. Single consumer.
   */
  int drain(String[] topicOut, Message[] messageOut, long[] timeOut, long waitNanos) throws InterruptedException {
    consumer = Thread.currentThread();
    int n = poll(topicOut, messageOut, timeOut);
    if (n == 0 && waitNanos > 0) {
      LockSupport.parkNanos(this, waitNanos);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      n = poll(topicOut, messageOut, timeOut);
    }
    return n;
  }

  private int poll(String[] topicOut, Message[] messageOut, long[] timeOut) {
    int n = 0;
    while (n < topicOut.length) {
      int i = (int) (head & mask);
      if (sequence.get(i) != head + 1) {
        break; // empty, or the next producer has not published yet
      }
      topicOut[n] = topics[i];
      messageOut[n] = messages[i];
      timeOut[n] = times[i];
      topics[i] = null;
      messages[i] = null;
      bytes.addAndGet(-sizes[i]);
      sequence.set(i, head + mask + 1); // free for the producer one lap later
      head++;
      n++;
    }
    return n;
  }

  void wakeUp() {
    Thread t = consumer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Entries queued (approximate while producers are active). */
  int size() {
    return (int) Math.max(0, tail.get() - head);
  }

  static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
