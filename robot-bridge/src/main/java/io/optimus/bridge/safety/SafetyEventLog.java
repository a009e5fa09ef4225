package io.optimus.bridge.safety;

import io.optimus.common.Stamps;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetySeverity;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The safety events of one robot: numbered, the last {@value #KEPT} kept, each handed to the listeners
 * (the MQTT publisher, the recorder) as it is raised. Called under the supervisor's lock.
 */
final class SafetyEventLog {
  static final int KEPT = SafetySupervisor.KEPT_EVENTS;

  private final String robotId;
  private final List<Consumer<SafetyEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<SafetyEvent> kept = new ArrayDeque<>();
  private long sequence;
  private SafetyEvent last;

  SafetyEventLog(String robotId) {
    this.robotId = robotId;
  }

  void addListener(Consumer<SafetyEvent> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<SafetyEvent> listener) {
    listeners.remove(listener);
  }

  void raise(long nowNs, SafetyEventType type, SafetySeverity severity, ControlMode modeAfter, long operatorSequence,
      String joint, String detail, double value, double limit) {
    SafetyEvent e = SafetyEvent.newBuilder()
        .setSchemaVersion(1)
        .setRobotId(robotId)
        .setSequence(++sequence)
        .setStamp(Stamps.now().toBuilder().setMonotonicNs(nowNs))
        .setType(type)
        .setSeverity(severity)
        .setModeAfter(modeAfter)
        .setJoint(joint)
        .setDetail(detail)
        .setValue(value)
        .setLimit(limit)
        .setOperatorSequence(operatorSequence)
        .build();
    last = e;
    if (kept.size() == KEPT) {
      kept.removeFirst();
    }
    kept.addLast(e);
    for (Consumer<SafetyEvent> l : listeners) {
      l.accept(e);
    }
  }

  /** Events raised so far. */
  long total() {
    return sequence;
  }

  /** The newest event, or null. */
  SafetyEvent last() {
    return last;
  }

  /** The kept events, oldest first (a copy). */
  List<SafetyEvent> kept() {
    return List.copyOf(kept);
  }
}
