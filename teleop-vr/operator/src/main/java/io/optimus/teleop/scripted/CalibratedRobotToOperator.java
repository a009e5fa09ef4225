package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.retarget.HandSide;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.motion.retarget.OperatorRetargeter;
import io.optimus.motion.retarget.RobotProfile;

/**
 * The inverse of {@link OperatorCalibration#handToRobot}: a hand is taken relative to the operator's
 * shoulder on its side, unyawed by the body yaw, scaled by robot arm / operator arm and placed at the
 * robot's shoulder; this undoes it. A private calibration tracks the same head poses the bridge's
 * does, so both agree on the body frame (the bridge filters the head, so they agree once the head
 * holds still for a moment, which a person reaching for a cube does).
 *
 * <p>Orientation: the body yaw is undone and so is the retargeter's fixed grip-to-palm rotation
 * ({@link OperatorRetargeter#gripToPalm}, the one definition both sides use).
 */
public final class CalibratedRobotToOperator implements RobotToOperator {
  private final OperatorCalibration calibration;
  private final RobotProfile robot;
  /** How far (m) a head camera sits in front of the base origin: a few centimetres on a humanoid. */
  private static final double EYE_FORWARD = 0.08;

  public CalibratedRobotToOperator(RobotProfile robot, OperatorBody operator) {
    this.robot = robot;
    this.calibration = new OperatorCalibration(robot);
    calibration.setBody(operator);
  }

  public OperatorCalibration calibration() {
    return calibration;
  }

  @Override
  public Vec3 robotEye() {
    return new Vec3(EYE_FORWARD, 0, robot.eyeHeight());
  }

  @Override
  public void trackHead(Pose3 head) {
    calibration.track(head);
  }

  @Override
  public Pose3 handToOperator(int hand, Pose3 robotPalm) {
    HandSide side = hand == 0 ? HandSide.LEFT : HandSide.RIGHT;
    double yaw = calibration.bodyYaw();
    double c = Math.cos(yaw), s = Math.sin(yaw);
    double scale = calibration.armScale();
    Vec3 rs = robot.shoulder(side);
    double bx = (robotPalm.translation().x() - rs.x()) / scale;
    double by = (robotPalm.translation().y() - rs.y()) / scale;
    double bz = (robotPalm.translation().z() - rs.z()) / scale;
    double half = side.sign() * calibration.body().shoulderWidth() / 2;
    Vec3 sc = calibration.shoulderCentre();
    double sx = sc.x() - s * half;
    double sy = sc.y() + c * half;
    Vec3 p = new Vec3(sx + c * bx - s * by, sy + s * bx + c * by, sc.z() + bz);
    return new Pose3(p, Quat.fromAxisAngle(Vec3.UNIT_Z, yaw).times(robotPalm.rotation()).times(OperatorRetargeter.gripToPalm(side).inverse()));
  }
}
