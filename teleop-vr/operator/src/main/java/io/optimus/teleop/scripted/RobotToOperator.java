package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Vec3;

/**
 * Maps a palm pose wanted in the robot base frame to the operator-frame hand pose that the bridge's
 * calibration and retargeting turn into it: the inverse of what the bridge applies to an operator
 * hand. The scripted operator plans in the robot frame, where the cube is, and speaks in the operator
 * frame. Quaternions are Hamilton (w, x, y, z).
 */
public interface RobotToOperator {
  /** Call with every head pose sent (operator frame), before mapping that frame's hands: the calibration's body frame follows the head. */
  default void trackHead(Pose3 operatorHead) {}

  /** The operator-frame pose of hand {@code hand} (0 left, 1 right) that the bridge maps to {@code robotPalm}. */
  Pose3 handToOperator(int hand, Pose3 robotPalm);

  /**
   * Where the robot's eyes (its head camera) are in its base frame, standing. The operator sees the
   * work through that camera, so it aims the head from there, not from its own eyes.
   */
  default Vec3 robotEye() {
    return new Vec3(-0.05, 0, 1.2);
  }

  /** The uncalibrated default: operator frame = robot base frame (both z up, x forward, origin on the floor). */
  static RobotToOperator identity() {
    return (hand, p) -> p;
  }
}
