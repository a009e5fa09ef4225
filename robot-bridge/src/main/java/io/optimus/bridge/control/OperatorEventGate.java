package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what one operator frame can ask for: at most {@code maxPerFrame} new events are acted on,
 * and at most one recording start among them (200 record-starts in one frame once created 100 files
 * and stalled the bridge for 4 s); the rest are dropped and counted. Also finds an e-stop in a frame
 * with no work beyond a scan, for the fast path that latches it before anything else.
 */
public final class OperatorEventGate {
  private final int maxPerFrame;
  private final AtomicLong dropped = new AtomicLong();

  public OperatorEventGate(int maxPerFrame) {
    this.maxPerFrame = maxPerFrame;
  }

  /** The events of one frame to act on, in order; the others are dropped and counted. */
  public List<OperatorEvent> admit(List<OperatorEvent> fresh) {
    if (fresh.size() <= 1) {
      return fresh;
    }
    List<OperatorEvent> out = new ArrayList<>(Math.min(fresh.size(), maxPerFrame));
    boolean recordStart = false;
    for (OperatorEvent e : fresh) {
      boolean start = e.getType() == OperatorEventType.OPERATOR_EVENT_RECORD_START;
      if (out.size() == maxPerFrame || (start && recordStart)) {
        dropped.incrementAndGet();
        continue;
      }
      recordStart |= start;
      out.add(e);
    }
    return out;
  }

  /** Events dropped so far. */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * Why this frame asks for an e-stop (the held chord or an e-stop event), or null. Any parsed frame
   * counts, valid or not, stale or not: latching on a doubtful request is the safe error.
   */
  public static String estopRequest(OperatorFrame f) {
    if (f.getCommands().getEstop()) {
      return "operator e-stop chord";
    }
    for (int i = 0, n = f.getEventsCount(); i < n; i++) {
      if (f.getEvents(i).getType() == OperatorEventType.OPERATOR_EVENT_ESTOP) {
        return "operator e-stop event";
      }
    }
    return null;
  }
}
