package io.optimus.teleop.controls;

import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The operator stream is QoS 0, so every event rides in the frames of the following ~100 ms with the
 * same event_id (and at least in {@link #MIN_FRAMES} frames); the robot acts on each id once.
 */
public final class EventRepeater {
  public static final long REPEAT_NS = 100_000_000L;
  public static final int MIN_FRAMES = 3;

  private record Pending(OperatorEvent event, long firstNs, int[] sent) {}

  private final Deque<Pending> pending = new ArrayDeque<>();
  private long nextId;

  /** {@code firstId} should differ between sessions (e.g. derived from the wall clock) so ids never repeat. */
  public EventRepeater(long firstId) {
    this.nextId = firstId;
  }

  /** Queues a new event stamped {@code stamp}; returns its id. */
  public long raise(OperatorEventType type, Timestamp stamp, String text) {
    long id = nextId++;
    OperatorEvent e = OperatorEvent.newBuilder().setEventId(id).setType(type).setStamp(stamp)
        .setText(text == null ? "" : text).build();
    pending.addLast(new Pending(e, stamp.getMonotonicNs(), new int[1]));
    return id;
  }

  /** Adds every live event to {@code frame} (whose capture time is {@code nowNs}) and drops expired ones. */
  public void attach(OperatorFrame.Builder frame, long nowNs) {
    pending.removeIf(p -> p.sent[0] >= MIN_FRAMES && nowNs - p.firstNs > REPEAT_NS);
    for (Pending p : pending) {
      frame.addEvents(p.event);
      p.sent[0]++;
    }
  }

  public int pendingCount() {
    return pending.size();
  }
}
