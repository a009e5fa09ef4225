package io.optimus.bridge;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs a bridge's slow requests (recording start/stop, action-source changes,
 * replay loading, task reset), in arrival order, off the MQTT thread that must stay free for the
 * e-stop. The queue is bounded: when it is full a request is refused at once (and counted), never
 * waited for.
 */
public final class RequestWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestWorker.class);

  private final ThreadPoolExecutor pool;
  private final AtomicLong refused = new AtomicLong();

  public RequestWorker(String name, int capacity) {
    pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
        Thread.ofPlatform().name(name).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
  }

  /** Queues {@code job}; returns false (counted) when the queue is full or the worker closed. Never blocks. */
  public boolean submit(String what, Runnable job) {
    try {
      pool.execute(() -> {
        try {
          job.run();
        } catch (RuntimeException e) {
          LOG.error("{} failed", what, e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      long n = refused.incrementAndGet();
      if (n <= 10 || Long.bitCount(n) == 1) { // a flood must not become a flood of log lines
        LOG.warn("refused {}: {} requests already waiting [{} refused so far]", what, pool.getQueue().size(), n);
      }
      return false;
    }
  }

  /** Requests refused because the queue was full. */
  public long refusedCount() {
    return refused.get();
  }

  public int waiting() {
    return pool.getQueue().size();
  }

  /** Lets queued requests finish (up to 5 s), then stops. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("worker still busy after 5 s: interrupting it");
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
