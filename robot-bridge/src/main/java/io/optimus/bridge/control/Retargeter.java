package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorFrame;

/**
 * Operator frame to joint targets (q order). The bridge uses motion-capture's OperatorRetargeter
 * through this; tests and other robots can plug in their own. Called on the control thread:
 * allocation-free, never NaN.
 */
@FunctionalInterface
public interface Retargeter {
  void retarget(OperatorFrame frame, double dt, double[] qCurrent, double[] qOut);

  /** The operator holds the calibration pose in {@code frame} (OPERATOR_EVENT_CALIBRATE). */
  default void calibrate(OperatorFrame frame) {}
}
