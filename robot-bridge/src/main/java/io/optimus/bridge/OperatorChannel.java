package io.optimus.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.FrameDrop;
import io.optimus.bridge.control.FrameDropCounter;
import io.optimus.bridge.control.OperatorEventGate;
import io.optimus.bridge.control.OperatorFrameValidator;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.control.ResetChordHold;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeRecorder;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of a bridge: frames (e-stop latched first, then validated, admitted by the
 * {@link OperatorInbox}, recorded, their events acted on), the reset chord held 1 s, and operators'
 * presence on their status topics. Runs on the MQTT thread; slow work goes to the request worker.
 */
final class OperatorChannel {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorChannel.class);
  private static final long INVALID_EVENT_PERIOD_NS = 1_000_000_000L;
  /** An OperatorStatus is a few dozen bytes; anything bigger is not one. */
  static final int MAX_OPERATOR_STATUS_BYTES = 1024;

  /** The bridge's parts an operator reaches. */
  record Parts(BridgeConfig config, SafetySupervisor supervisor, OperatorInbox inbox, ControlLoop loop,
      EpisodeRecorder recorder, EstopFastPath estops, EstopReset reset, BridgeOutputs outputs,
      BridgeRecording recording, ControlRequests requests, FrameDropCounter frameDrops, ResetChordHold resetHold) {}

  private final Parts p;
  private final OperatorEventGate eventGate = new OperatorEventGate(BridgeLimits.EVENTS_PER_FRAME);
  private final AtomicLong invalidFrames = new AtomicLong();
  private final AtomicLong badOperatorStatuses = new AtomicLong();
  private volatile long lastInvalidEventNs = Long.MIN_VALUE / 2;
  private volatile String operatorId = "";
  // the reset chord (under resetHold's lock)
  private boolean resetRequested;
  private long resetRequestedEventId;
  private long latchesAtHoldStart;

  OperatorChannel(Parts parts) {
    this.p = parts;
  }

  void onFrame(OperatorFrame f) {
    long now = System.nanoTime();
    p.estops().latchIfEstop(f, now, p.supervisor().ticks());
    String problem = OperatorFrameValidator.problem(f);
    if (problem != null) {
      invalidFrames.incrementAndGet();
      dropFrame(FrameDrop.INVALID, f, problem, now);
      return;
    }
    problem = OperatorFrameValidator.stampProblem(f, Stamps.wallNanos());
    if (problem != null) {
      dropFrame(FrameDrop.TIMESTAMP, f, problem, now);
      return;
    }
    OperatorInbox.Admission a = p.inbox().admit(f, now);
    if (!a.accepted()) {
      dropFrame(a.drop(), f, a.detail(), now);
      return;
    }
    p.loop().operatorFrameArrived();
    operatorId = f.getOperatorId();
    if (p.recorder() != null) {
      p.recorder().writeOperator(f);
    }
    ResetChordHold hold = p.resetHold();
    long resetChordNs;
    synchronized (hold) {
      if (a.claimed()) {
        hold.clear();
        resetRequested = false;
      }
      resetChordNs = hold.update(f, now);
      if (resetChordNs == 0) {
        latchesAtHoldStart = p.supervisor().estopLatches();
      }
    }
    for (OperatorEvent e : eventGate.admit(a.events())) {
      onEvent(e, f, now);
    }
    resetWhenHeld(f, resetChordNs, now);
  }

  /**
   * Counts a refused frame; raises a (rate-limited) INVALID_INPUT event unless it was merely out of
   * order. Its e-stop (chord or event) still latches: stopping is always allowed, and never waits.
   */
  private void dropFrame(FrameDrop reason, OperatorFrame f, String detail, long now) {
    if (f.getCommands().getEstop() || f.getEventsList().stream()
        .anyMatch(e -> e.getType() == OperatorEventType.OPERATOR_EVENT_ESTOP)) {
      p.supervisor().estop(now, "e-stop in a refused operator frame (" + reason.label() + ") of session '"
          + f.getSessionId() + "' ('" + f.getOperatorId() + "')");
    }
    String what = "operator frame " + Long.toUnsignedString(f.getSequence()) + " refused (" + reason.label() + "): "
        + detail;
    p.frameDrops().count(reason, what, now);
    if (reason != FrameDrop.STALE && now - lastInvalidEventNs > INVALID_EVENT_PERIOD_NS) {
      lastInvalidEventNs = now;
      p.supervisor().invalidInput(now, what, f.getSequence());
    }
  }

  private void onEvent(OperatorEvent e, OperatorFrame f, long now) {
    LOG.debug("operator {} event {} ({})", f.getOperatorId(), e.getType(), e.getEventId());
    BridgeRecording rec = p.recording();
    switch (e.getType()) {
      case OPERATOR_EVENT_ESTOP -> { } // latched on arrival, once (EstopFastPath)
      case OPERATOR_EVENT_ESTOP_RESET -> requestReset(e, f, now);
      case OPERATOR_EVENT_RECORD_START -> p.requests().offload("record start", () -> rec.start(f.getOperatorId(), "", e.getText()));
      case OPERATOR_EVENT_RECORD_STOP -> p.requests().offload("record stop", () -> rec.stop(null, e.getText()));
      case OPERATOR_EVENT_MARK_SUCCESS -> p.requests().offload("mark", () -> rec.mark(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, e.getText()));
      case OPERATOR_EVENT_MARK_FAILURE -> p.requests().offload("mark", () -> rec.mark(EpisodeOutcome.EPISODE_OUTCOME_FAILURE, e.getText()));
      case OPERATOR_EVENT_MARK_DISCARD -> p.requests().offload("mark", () -> rec.mark(EpisodeOutcome.EPISODE_OUTCOME_DISCARD, e.getText()));
      case OPERATOR_EVENT_CALIBRATE -> { } // the retargeter reads it from the frame (OperatorRetargeter)
      case OPERATOR_EVENT_TAKEOVER, OPERATOR_EVENT_HAND_BACK -> p.requests().takeoverEvent(e, f.getOperatorId(), f.getSequence());
      default -> LOG.debug("ignored operator event {}", e.getType());
    }
  }

  /**
   * The owning session asked for a reset (only its frames get here). It happens once the bridge has
   * seen the reset chord held for {@link ResetChordHold#HOLD_NS} without a break; letting go first, or
   * asking without the chord held, is refused.
   */
  private void requestReset(OperatorEvent e, OperatorFrame f, long now) {
    if (!ResetChordHold.held(f)) {
      refuseReset(e.getEventId(), "the reset chord (left X + Y) is not held", now);
      return;
    }
    synchronized (p.resetHold()) {
      resetRequested = true;
      resetRequestedEventId = e.getEventId();
    }
  }

  private void resetWhenHeld(OperatorFrame f, long heldNs, long now) {
    long eventId;
    long latches;
    synchronized (p.resetHold()) {
      if (!resetRequested) {
        return;
      }
      eventId = resetRequestedEventId;
      latches = latchesAtHoldStart;
      if (heldNs >= 0 && heldNs < ResetChordHold.HOLD_NS) {
        return;
      }
      resetRequested = false;
    }
    if (heldNs < 0) {
      refuseReset(eventId, "the reset chord was let go before it was held "
          + ResetChordHold.HOLD_NS / 1_000_000 + " ms", now);
      return;
    }
    if (p.supervisor().estopLatches() != latches) {
      refuseReset(eventId, "the e-stop latched again while the reset chord was held: let go and hold"
          + " it again", now);
      return;
    }
    String why = p.reset().reset(now, "operator '" + f.getOperatorId() + "' (reset chord held "
        + heldNs / 1_000_000 + " ms)");
    if (why != null) {
      p.outputs().refusedReset(eventId, why);
    }
  }

  private void refuseReset(long eventId, String why, long now) {
    if (p.supervisor().estopLatched()) {
      p.supervisor().resetRefused(now, "e-stop reset refused: " + why);
      p.outputs().refusedReset(eventId, why);
    }
  }

  /**
   * An operator's presence, on {@code optimus/v1/operators/{operatorId}/status}: the broker's ACL lets
   * only that operator (and its Last Will) publish there, so the id comes from the topic. "Offline"
   * stops this robot only when that operator's session owns it; the payload's robot field never
   * selects a robot. Anything that is not a well-formed status of that operator is counted and
   * dropped, never read as "offline".
   */
  void onStatus(String topic, byte[] payload) {
    String[] levels = topic.split("/", -1);
    String operator = levels.length == 5 ? levels[3] : "";
    String problem = null;
    OperatorStatus s = null;
    if (operator.isEmpty()) {
      problem = "no operator id in the topic";
    } else if (payload.length == 0) {
      problem = "empty (retained status cleared)";
    } else if (payload.length > MAX_OPERATOR_STATUS_BYTES) {
      problem = payload.length + " bytes (max " + MAX_OPERATOR_STATUS_BYTES + ")";
    } else {
      try {
        s = OperatorStatus.parseFrom(payload);
        if (s.getSchemaVersion() != 1) {
          problem = "schema_version " + s.getSchemaVersion() + " (expected 1)";
        } else if (!s.hasStamp()) { // every status is stamped: a truncated "online" must not read as offline
          problem = "no stamp (truncated?)";
        } else if (!s.getOperatorId().equals(operator)) {
          problem = "it names operator '" + s.getOperatorId() + "' on the status topic of '" + operator + "'";
        }
      } catch (InvalidProtocolBufferException e) {
        problem = "unparseable: " + e.getMessage();
      }
    }
    if (problem != null) {
      long n = badOperatorStatuses.incrementAndGet();
      if (n <= 10 || Long.bitCount(n) == 1) {
        LOG.warn("{}: ignored operator status on {}: {} [{} so far]", p.config().robotId(), topic, problem, n);
      }
      return;
    }
    long now = System.nanoTime();
    if (!s.getOnline() && operator.equals(p.inbox().ownerOperator(now))) {
      p.inbox().release(operator);
      p.supervisor().operatorLost(now, "operator '" + operator + "' went offline");
    }
  }

  /** The operator of the newest admitted frame ("" before one). */
  String operatorId() {
    return operatorId;
  }

  long invalidFrames() {
    return invalidFrames.get();
  }

  long badStatuses() {
    return badOperatorStatuses.get();
  }

  long droppedEvents() {
    return eventGate.droppedCount();
  }
}
