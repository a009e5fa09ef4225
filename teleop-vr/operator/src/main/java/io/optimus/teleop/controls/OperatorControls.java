package io.optimus.teleop.controls;

import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;

/**
 * Maps controller inputs (whatever source filled the frame's {@link HandInput}s) to the operator's
 * commands (levels) and events. The mapping, for every profile that has the inputs:
 * <ul>
 *   <li>deadman: either squeeze held (on above 0.7, off below 0.4, so a trembling hand does not chatter),
 *       or {@code commands.deadman} already set by a source without controllers (scripted, mocap);
 *   <li>e-stop chord: both thumbsticks clicked, or both menu buttons, together: level {@code estop} and
 *       an ESTOP event on the press; reset: left X + Y held for one second (ESTOP_RESET);
 *   <li>record start/stop: right B (secondary) toggles; mark success: right A (primary);
 *       mark discard: left X (primary); mark failure: left Y (secondary);
 *   <li>calibration pose: both triggers fully pulled, no squeeze, hands spread at least 1 m apart
 *       (the T-pose); level {@code calibrating} while held, CALIBRATE event after one second;
 *   <li>takeover / hand back: a click of the right thumbstick alone (fired when it is let go, so that the
 *       e-stop chord, both sticks, never takes over on its way): TAKEOVER while a policy drives, HAND_BACK
 *       while the robot says the operator has taken over ({@link #watchTakeover}); the robot decides, and
 *       refuses a takeover without the deadman held or during an e-stop.
 * </ul>
 * Not thread-safe; one instance per operator stream.
 */
public final class OperatorControls {
  public static final float DEADMAN_ON = 0.7f;
  public static final float DEADMAN_OFF = 0.4f;
  static final float TRIGGER_FULL = 0.9f;
  static final double CALIBRATION_SPREAD_M = 1.0;
  static final long HOLD_NS = 1_000_000_000L;

  private final EventRepeater events;
  private java.util.function.BooleanSupplier takenOver = () -> false;
  private java.util.function.Supplier<String> takeoverReason = () -> null;
  /** The right stick is down on its own so far (no left stick, no chord): a takeover click when let go. */
  private boolean takeoverClick;
  private boolean deadman;
  private boolean recording;
  private boolean estopChord;
  private long resetSinceNs = -1;
  private boolean resetFired;
  private long calibrateSinceNs = -1;
  private boolean calibrateFired;
  private final Buttons prevLeft = new Buttons();
  private final Buttons prevRight = new Buttons();

  private static final class Buttons {
    boolean primary, secondary, menu, stick;

    void copy(HandInput h) {
      primary = h.getButtons().getPrimary();
      secondary = h.getButtons().getSecondary();
      menu = h.getButtons().getMenu();
      stick = h.getButtons().getThumbstickClick();
    }
  }

  public OperatorControls(EventRepeater events) {
    this.events = events;
  }

  /**
   * Where the right-stick click learns whether the operator has taken over ({@code BridgeStatus.taken_over}):
   * then it hands back, else it takes over. Without it, it always takes over.
   */
  public OperatorControls watchTakeover(java.util.function.BooleanSupplier robotTakenOver) {
    this.takenOver = robotTakenOver;
    return this;
  }

  /**
   * Where a takeover's reason comes from (the event's text, which the robot records with the intervention), e.g.
   * a supervising scripted operator's rule; null or empty: "right thumbstick click".
   */
  public OperatorControls describeTakeover(java.util.function.Supplier<String> reason) {
    this.takeoverReason = reason;
    return this;
  }

  /** Whether this client believes a recording is running (toggled by its own start/stop events). */
  public boolean recording() {
    return recording;
  }

  /** Sets the commands and appends the events of {@code frame}; its capture time must be set. */
  public void apply(OperatorFrame.Builder frame) {
    Timestamp stamp = frame.getCaptureTime();
    long now = stamp.getMonotonicNs();
    HandInput l = frame.getLeft();
    HandInput r = frame.getRight();

    float squeeze = Math.max(l.getSqueeze(), r.getSqueeze());
    deadman = deadman ? squeeze > DEADMAN_OFF : squeeze >= DEADMAN_ON;
    // a source without controllers (scripted operator, mocap clip) holds the deadman directly
    boolean held = deadman || frame.getCommands().getDeadman();

    boolean chord = (l.getButtons().getThumbstickClick() && r.getButtons().getThumbstickClick())
        || (l.getButtons().getMenu() && r.getButtons().getMenu());
    if (chord && !estopChord) {
      events.raise(OperatorEventType.OPERATOR_EVENT_ESTOP, stamp, "e-stop chord");
    }
    estopChord = chord;

    boolean rightStick = r.getButtons().getThumbstickClick();
    if (pressed(rightStick, prevRight.stick)) {
      takeoverClick = true;
    }
    if (chord || l.getButtons().getThumbstickClick()) {
      takeoverClick = false; // on its way to (or part of) the e-stop chord
    }
    if (!rightStick && prevRight.stick && takeoverClick) {
      takeoverClick = false;
      boolean back = takenOver.getAsBoolean();
      String why = back ? null : takeoverReason.get();
      events.raise(back ? OperatorEventType.OPERATOR_EVENT_HAND_BACK : OperatorEventType.OPERATOR_EVENT_TAKEOVER, stamp,
          why == null || why.isEmpty() ? "right thumbstick click" : why);
    }

    boolean resetHeld = l.getButtons().getPrimary() && l.getButtons().getSecondary();
    if (resetHeld) {
      if (resetSinceNs < 0) {
        resetSinceNs = now;
      }
      if (!resetFired && now - resetSinceNs >= HOLD_NS) {
        events.raise(OperatorEventType.OPERATOR_EVENT_ESTOP_RESET, stamp, "reset chord held 1 s");
        resetFired = true;
      }
    } else {
      resetSinceNs = -1;
      resetFired = false;
    }

    if (!resetHeld) { // X and Y are the reset chord when pressed together
      if (pressed(r.getButtons().getSecondary(), prevRight.secondary)) {
        recording = !recording;
        events.raise(recording ? OperatorEventType.OPERATOR_EVENT_RECORD_START
            : OperatorEventType.OPERATOR_EVENT_RECORD_STOP, stamp, "");
      }
      if (pressed(r.getButtons().getPrimary(), prevRight.primary)) {
        events.raise(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS, stamp, "");
      }
      if (pressed(l.getButtons().getPrimary(), prevLeft.primary)) {
        events.raise(OperatorEventType.OPERATOR_EVENT_MARK_DISCARD, stamp, "");
      }
      if (pressed(l.getButtons().getSecondary(), prevLeft.secondary)) {
        events.raise(OperatorEventType.OPERATOR_EVENT_MARK_FAILURE, stamp, "");
      }
    }

    boolean calibrating = isCalibrationPose(l, r);
    if (calibrating) {
      if (calibrateSinceNs < 0) {
        calibrateSinceNs = now;
      }
      if (!calibrateFired && now - calibrateSinceNs >= HOLD_NS) {
        events.raise(OperatorEventType.OPERATOR_EVENT_CALIBRATE, stamp, "T-pose held 1 s");
        calibrateFired = true;
      }
    } else {
      calibrateSinceNs = -1;
      calibrateFired = false;
    }

    prevLeft.copy(l);
    prevRight.copy(r);
    frame.setCommands(OperatorCommands.newBuilder().setDeadman(held && !chord).setEstop(chord)
        .setCalibrating(calibrating || frame.getCommands().getCalibrating()));
    events.attach(frame, now);
  }

  private static boolean pressed(boolean now, boolean before) {
    return now && !before;
  }

  private static boolean isCalibrationPose(HandInput l, HandInput r) {
    if (l.getTrigger() < TRIGGER_FULL || r.getTrigger() < TRIGGER_FULL) {
      return false;
    }
    if (l.getSqueeze() > DEADMAN_OFF || r.getSqueeze() > DEADMAN_OFF) {
      return false;
    }
    if (!l.getGripValid() || !r.getGripValid()) {
      return false;
    }
    double dx = l.getGripPose().getPosition().getX() - r.getGripPose().getPosition().getX();
    double dy = l.getGripPose().getPosition().getY() - r.getGripPose().getPosition().getY();
    return Math.hypot(dx, dy) >= CALIBRATION_SPREAD_M;
  }
}
