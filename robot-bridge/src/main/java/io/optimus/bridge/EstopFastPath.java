package io.optimus.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.bridge.control.OperatorEventGate;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.OperatorFrame;

/**
 * The e-stop fast path: finds e-stops (control request, the operator's chord or e-stop event) and
 * latches them on the arrival thread, before anything is validated, sequenced or queued. Both MQTT
 * connections call it (the separate e-stop connection with raw payloads, the main one first thing on
 * arrival); each request latches once, so the copy arriving on the other connection cannot undo a reset.
 */
final class EstopFastPath {
  private final SafetySupervisor supervisor;
  private final SeenOnce seen = new SeenOnce(256);

  EstopFastPath(SafetySupervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** The e-stop connection's operator frames: e-stops only (the main connection counts garbage). */
  void rawFrame(byte[] payload) {
    long arrivalNs = System.nanoTime();
    long arrivalTick = supervisor.ticks();
    try {
      latchIfEstop(OperatorFrame.parseFrom(payload), arrivalNs, arrivalTick);
    } catch (InvalidProtocolBufferException e) {
      // garbage: counted and logged by the main connection
    }
  }

  /** The e-stop connection's control requests: e-stops only; the main connection executes and answers. */
  void rawRequest(byte[] payload) {
    long arrivalNs = System.nanoTime();
    long arrivalTick = supervisor.ticks();
    try {
      latchIfEstop(ControlRequest.parseFrom(payload), arrivalNs, arrivalTick);
    } catch (InvalidProtocolBufferException e) {
      // garbage: counted and logged by the main connection
    }
  }

  /**
   * The e-stop connection's supervisor requests (topic {@code R/supervise/USER}): e-stops only; the main
   * connection answers and resets.
   */
  void rawSupervise(String robotId, String topic, byte[] payload) {
    long arrivalNs = System.nanoTime();
    long arrivalTick = supervisor.ticks();
    String user = io.optimus.bridge.mqtt.Topics.supervisor(robotId, topic);
    if (user == null) {
      return;
    }
    try {
      latchIfSupervisorEstop(user, ControlRequest.parseFrom(payload), arrivalNs, arrivalTick);
    } catch (InvalidProtocolBufferException e) {
      // garbage: counted and logged by the main connection
    }
  }

  /** A supervisor's e-stop ({@code user} from the topic, never the payload), once per request id. */
  void latchIfSupervisorEstop(String user, ControlRequest r, long arrivalNs, long arrivalTick) {
    if (r.hasEstop() && (r.getRequestId().isEmpty() || seen.first("supervise " + user + " " + r.getRequestId()))) {
      supervisor.estop(arrivalNs, arrivalTick, "e-stop by supervisor '" + user + "': " + r.getEstop().getReason());
    }
  }

  /** Latched on the arrival thread before the frame is validated or sequenced. */
  void latchIfEstop(OperatorFrame f, long arrivalNs, long arrivalTick) {
    String why = OperatorEventGate.estopRequest(f);
    if (why != null && seen.first("frame " + f.getSessionId() + "/" + f.getSequence())) {
      supervisor.estop(arrivalNs, arrivalTick, why);
    }
  }

  /** Latches once per request id. */
  void latchIfEstop(ControlRequest r, long arrivalNs, long arrivalTick) {
    if (r.hasEstop() && (r.getRequestId().isEmpty() || seen.first("request " + r.getRequestId()))) {
      supervisor.estop(arrivalNs, arrivalTick, "e-stop control request: " + r.getEstop().getReason());
    }
  }
}
