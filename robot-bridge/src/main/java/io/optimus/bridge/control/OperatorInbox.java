package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest operator frame (older ones are simply replaced: the loop always uses the newest), plus
 * the bookkeeping of the operator stream: out-of-order frames of a session are dropped, and each
 * {@link OperatorEvent} (repeated by the client for ~100 ms over QoS 0) is returned once.
 */
public final class OperatorInbox {
  private static final int REMEMBERED_EVENTS = 512;

  private volatile ReceivedFrame latest;
  private String session = "";
  private long lastSequence;
  private final LinkedHashSet<Long> seenEvents = new LinkedHashSet<>();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();

  /**
   * Takes a validated frame; returns its events not seen before (empty when none), or null when the
   * frame is stale (an older sequence of the same session) and was dropped.
   */
  public synchronized List<OperatorEvent> offer(OperatorFrame f, long receivedNs) {
    if (!f.getSessionId().equals(session)) {
      session = f.getSessionId();
      lastSequence = 0;
      seenEvents.clear();
    }
    if (f.getSequence() <= lastSequence) {
      stale.incrementAndGet();
      return null;
    }
    lastSequence = f.getSequence();
    latest = new ReceivedFrame(f, receivedNs);
    accepted.incrementAndGet();
    if (f.getEventsCount() == 0) {
      return List.of();
    }
    List<OperatorEvent> fresh = new ArrayList<>();
    for (OperatorEvent e : f.getEventsList()) {
      if (seenEvents.add(e.getEventId())) {
        fresh.add(e);
        if (seenEvents.size() > REMEMBERED_EVENTS) {
          seenEvents.remove(seenEvents.iterator().next());
        }
      }
    }
    return fresh;
  }

  public ReceivedFrame latest() {
    return latest;
  }

  public long staleCount() {
    return stale.get();
  }

  public long acceptedCount() {
    return accepted.get();
  }
}
