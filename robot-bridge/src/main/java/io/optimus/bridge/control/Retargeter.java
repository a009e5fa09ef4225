package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorFrame;

/**
 * Operator frame to joint targets (q order). The bridge uses motion-capture's OperatorRetargeter
 * through this; tests and other robots can plug in their own. Called on the control thread:
 * allocation-free, never NaN.
 */
@FunctionalInterface
public interface Retargeter {
  /**
   * Joint targets for {@code frame}. Calibration arrives in frames too ({@code commands.calibrating},
   * OPERATOR_EVENT_CALIBRATE): a retargeter that calibrates reads it here.
   */
  void retarget(OperatorFrame frame, double dt, double[] qCurrent, double[] qOut);

  /**
   * The joint the last retarget held at a limit while the operator asked for more (for the HUD),
   * or "" when none or unknown.
   */
  default String limitedJoint() {
    return "";
  }

  /**
   * Frames of another operator session follow (a new client run): a retargeter that calibrates to its
   * operator starts that again, so one session's body frame is never applied to the next.
   */
  default void newSession() {
  }

  /** Live closeness to the operator's body per segment (null when this retargeter measures none). */
  default io.optimus.motion.retarget.LiveCloseness closeness() {
    return null;
  }
}
