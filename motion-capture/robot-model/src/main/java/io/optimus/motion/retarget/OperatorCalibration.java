package io.optimus.motion.retarget;

import io.optimus.common.InputException;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.geometry.proto.Vec3Proto;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;

/**
 * Maps operator-frame poses to robot base-frame targets, anchored to the operator's body rather
 * than to the room or the head:
 *
 * <ul>
 *   <li>A body frame follows the operator: its origin is the shoulder centre, estimated every frame
 *       from the head pose (eyes → neck pivot → shoulders), and its yaw follows the head yaw with a
 *       ±{@value #YAW_DEADBAND_DEG}° dead band (looking around does not swing the arms; turning the
 *       body does). Walking and leaning move the body frame, so the hands keep their place relative
 *       to the shoulders instead of being dragged.
 *   <li>Each hand is taken relative to its own shoulder and scaled by robot arm length / operator arm
 *       length, then placed at the robot's shoulder. Orientations are taken relative to the body yaw.
 *   <li>{@link #capture} measures the operator in a T-pose (standing, looking ahead, arms straight out
 *       sideways): height from eye height, arm length from the span between the hands minus the
 *       shoulder width (which controllers cannot measure: from stature).
 * </ul>
 *
 * Quaternions are Hamilton (w, x, y, z). Not thread-safe; the array methods do not allocate.
 */
public final class OperatorCalibration {
  public static final double YAW_DEADBAND_DEG = 35;
  private static final double YAW_DEADBAND = Math.toRadians(YAW_DEADBAND_DEG);
  /** Neck pivot in the head (eye) frame: behind and below the eyes. */
  private static final double EYE_TO_NECK_BACK = 0.09;
  private static final double EYE_TO_NECK_DOWN = 0.11;

  private final RobotProfile robot;
  private OperatorBody body;
  private boolean calibrated;
  private boolean tracking;
  private double yaw;
  private double cosYaw;
  private double sinYaw;
  private final double[] shoulderCentre = new double[3];

  public OperatorCalibration(RobotProfile robot) {
    this.robot = robot;
    forget();
  }

  public OperatorBody body() {
    return body;
  }

  public boolean calibrated() {
    return calibrated;
  }

  /**
   * Forgets the operator (a new operator session): the default body, and the body yaw anchored again on
   * the next head pose, as for a calibration made new.
   */
  public void forget() {
    body = OperatorBody.DEFAULT;
    calibrated = false;
    tracking = false;
    yaw = 0;
    cosYaw = 1;
    sinYaw = 0;
    resetAnchor(1.75);
  }

  public void setBody(OperatorBody b) {
    body = b;
    calibrated = true;
  }

  /** Robot arm length / operator arm length. */
  public double armScale() {
    return robot.armLength() / body.armLength();
  }

  /** Body yaw (rad, about z) the arms are taken relative to. */
  public double bodyYaw() {
    return yaw;
  }

  /** Operator shoulder centre in the operator frame, as last tracked. */
  public Vec3 shoulderCentre() {
    return new Vec3(shoulderCentre[0], shoulderCentre[1], shoulderCentre[2]);
  }

  private void resetAnchor(double height) {
    shoulderCentre[0] = 0;
    shoulderCentre[1] = 0;
    shoulderCentre[2] = OperatorBody.SHOULDER_HEIGHT_RATIO * height;
  }

  /**
   * Measures the operator from a T-pose frame and adopts the result. Throws InputException naming
   * what is missing or implausible (no head, hands not tracked, arms not out sideways).
   */
  public OperatorBody capture(OperatorFrame f) {
    if (!f.getHeadValid() || !Pose3Proto.fromProto(f.getHead()).isFinite()) {
      throw new InputException("calibration: the head pose is not valid");
    }
    Vec3 l = handPosition(f.getLeft(), "left");
    Vec3 r = handPosition(f.getRight(), "right");
    Pose3 head = Pose3Proto.fromProto(f.getHead());
    double height = head.translation().z() / OperatorBody.EYE_HEIGHT_RATIO;
    if (!(height >= 1.0 && height <= 2.4)) {
      throw new InputException(String.format(java.util.Locale.ROOT,
          "calibration: eye height %.2f m gives a stature of %.2f m (expected 1.0-2.4 m): stand upright", head.translation().z(), height));
    }
    double shoulderZ = OperatorBody.SHOULDER_HEIGHT_RATIO * height;
    for (Vec3 h : new Vec3[] {l, r}) {
      if (Math.abs(h.z() - shoulderZ) > 0.3 * height * 0.5) {
        throw new InputException(String.format(java.util.Locale.ROOT,
            "calibration: a hand is at %.2f m, the shoulders at about %.2f m: hold the arms straight out sideways (T-pose)", h.z(), shoulderZ));
      }
    }
    double span = Math.hypot(l.x() - r.x(), l.y() - r.y());
    double width = OperatorBody.SHOULDER_WIDTH_RATIO * height;
    double arm = (span - width) / 2;
    if (!(arm >= 0.3 && arm <= 1.1)) {
      throw new InputException(String.format(java.util.Locale.ROOT,
          "calibration: hands %.2f m apart give an arm length of %.2f m (expected 0.3-1.1 m): stretch both arms out sideways", span, arm));
    }
    OperatorBody b = new OperatorBody(height, width, arm);
    setBody(b);
    // the T-pose also defines the forward direction: perpendicular to the arm line, on the face side
    double ax = l.x() - r.x(), ay = l.y() - r.y();
    yaw = Math.atan2(-ax, ay);
    cosYaw = Math.cos(yaw);
    sinYaw = Math.sin(yaw);
    tracking = true;
    Quat hq = head.rotation();
    track(head.translation().x(), head.translation().y(), head.translation().z(), hq.w(), hq.x(), hq.y(), hq.z());
    return b;
  }

  private static Vec3 handPosition(HandInput h, String side) {
    if (h.getGripValid()) {
      Vec3 p = Vec3Proto.fromProto(h.getGripPose().getPosition());
      if (p.isFinite()) {
        return p;
      }
    }
    if (h.getHand().getActive() && h.getHand().getJointsCount() == 26 && h.getHand().getJoints(0).getPositionValid()) {
      Vec3 p = Vec3Proto.fromProto(h.getHand().getJoints(0).getPose().getPosition());
      if (p.isFinite()) {
        return p;
      }
    }
    throw new InputException("calibration: the " + side + " hand is not tracked");
  }

  /**
   * Updates the body frame from a head pose (operator frame; quaternion w, x, y, z). Non-finite
   * input is ignored.
   */
  public void track(double hx, double hy, double hz, double qw, double qx, double qy, double qz) {
    double n = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
    if (!(n > 1e-6) || !Double.isFinite(n) || !Double.isFinite(hx + hy + hz)) {
      return;
    }
    qw /= n;
    qx /= n;
    qy /= n;
    qz /= n;
    // head forward axis (x) and its yaw
    double fx = 1 - 2 * (qy * qy + qz * qz), fy = 2 * (qx * qy + qw * qz), fz = 2 * (qx * qz - qw * qy);
    // the head's up axis (z)
    double ux = 2 * (qx * qz + qw * qy), uy = 2 * (qy * qz - qw * qx), uz = 1 - 2 * (qx * qx + qy * qy);
    if (Math.hypot(fx, fy) > 0.2) {
      double headYaw = Math.atan2(fy, fx);
      if (!tracking) {
        yaw = headYaw;
        tracking = true;
      } else {
        double dyaw = Math.IEEEremainder(headYaw - yaw, 2 * Math.PI);
        if (dyaw > YAW_DEADBAND) {
          yaw += dyaw - YAW_DEADBAND;
        } else if (dyaw < -YAW_DEADBAND) {
          yaw += dyaw + YAW_DEADBAND;
        }
        yaw = Math.IEEEremainder(yaw, 2 * Math.PI);
      }
      cosYaw = Math.cos(yaw);
      sinYaw = Math.sin(yaw);
    }
    // eyes -> neck pivot (head frame) -> shoulder centre (straight down, body-frame back offset none)
    double nx = hx - EYE_TO_NECK_BACK * fx - EYE_TO_NECK_DOWN * ux;
    double ny = hy - EYE_TO_NECK_BACK * fy - EYE_TO_NECK_DOWN * uy;
    double nz = hz - EYE_TO_NECK_BACK * fz - EYE_TO_NECK_DOWN * uz;
    double neckToShoulders = (OperatorBody.EYE_HEIGHT_RATIO - OperatorBody.SHOULDER_HEIGHT_RATIO) * body.height() - EYE_TO_NECK_DOWN;
    shoulderCentre[0] = nx;
    shoulderCentre[1] = ny;
    shoulderCentre[2] = nz - Math.max(0, neckToShoulders);
  }

  public void track(Pose3 head) {
    Quat q = head.rotation();
    track(head.translation().x(), head.translation().y(), head.translation().z(), q.w(), q.x(), q.y(), q.z());
  }

  /**
   * A hand (palm-convention pose in the operator frame) as a palm target in the robot base frame.
   * {@code p}/{@code q} in, {@code pOut}/{@code qOut} out (quaternions w, x, y, z); may alias.
   */
  public void handToRobot(HandSide side, double[] p, double[] q, double[] pOut, double[] qOut) {
    double half = side.sign() * body.shoulderWidth() / 2;
    // shoulder of this side in the operator frame
    double sx = shoulderCentre[0] - sinYaw * half;
    double sy = shoulderCentre[1] + cosYaw * half;
    double sz = shoulderCentre[2];
    double dx = p[0] - sx, dy = p[1] - sy, dz = p[2] - sz;
    // into the body frame (undo yaw), scale, place at the robot's shoulder
    double bx = cosYaw * dx + sinYaw * dy;
    double by = -sinYaw * dx + cosYaw * dy;
    double s = armScale();
    Vec3 rs = robot.shoulder(side);
    double x = rs.x() + s * bx, y = rs.y() + s * by, z = rs.z() + s * dz;
    pOut[0] = x;
    pOut[1] = y;
    pOut[2] = z;
    unyaw(q, qOut);
  }

  /**
   * The operator's estimated shoulder joint of one side (operator frame), from the tracked shoulder
   * centre, body yaw and shoulder width: the point hands are measured from. Into out[0..2].
   */
  public void estimatedShoulder(HandSide side, double[] out) {
    double half = side.sign() * body.shoulderWidth() / 2;
    out[0] = shoulderCentre[0] - sinYaw * half;
    out[1] = shoulderCentre[1] + cosYaw * half;
    out[2] = shoulderCentre[2];
  }

  /** A direction (or difference) from the operator frame into the body frame: the body yaw undone. In/out may alias. */
  public void unyawVector(double[] v, double[] out) {
    double x = v[0], y = v[1];
    out[0] = cosYaw * x + sinYaw * y;
    out[1] = -sinYaw * x + cosYaw * y;
    out[2] = v[2];
  }

  /**
   * A body point carried by the torso (shoulder, hip), operator frame, into the robot base frame:
   * relative to the shoulder centre, body yaw undone, scaled by the arm ratio, placed at the robot's
   * shoulder centre (as {@link #toRobot}, without allocating). In/out may alias.
   */
  public void bodyPointToRobot(double[] p, double[] out) {
    double dx = p[0] - shoulderCentre[0], dy = p[1] - shoulderCentre[1], dz = p[2] - shoulderCentre[2];
    double s = armScale();
    Vec3 l = robot.leftShoulder(), r = robot.rightShoulder();
    out[0] = (l.x() + r.x()) / 2 + s * (cosYaw * dx + sinYaw * dy);
    out[1] = (l.y() + r.y()) / 2 + s * (-sinYaw * dx + cosYaw * dy);
    out[2] = (l.z() + r.z()) / 2 + s * dz;
  }

  /** An orientation relative to the body yaw (e.g. the head's), quaternion (w, x, y, z). */
  public void unyaw(double[] q, double[] qOut) {
    // qOut = Rz(-yaw) * q
    double hw = Math.cos(-yaw / 2), hz = Math.sin(-yaw / 2);
    double w = q[0], x = q[1], y = q[2], z = q[3];
    qOut[0] = hw * w - hz * z;
    qOut[1] = hw * x - hz * y;
    qOut[2] = hw * y + hz * x;
    qOut[3] = hw * z + hz * w;
  }

  /**
   * Any operator-frame pose in the robot base frame: relative to the body frame (shoulder centre,
   * body yaw), scaled by the arm ratio, placed at the robot's shoulder centre.
   */
  public Pose3 toRobot(Pose3 operatorPose) {
    double dx = operatorPose.translation().x() - shoulderCentre[0];
    double dy = operatorPose.translation().y() - shoulderCentre[1];
    double dz = operatorPose.translation().z() - shoulderCentre[2];
    double s = armScale();
    Vec3 c = robotShoulderCentre();
    Vec3 p = new Vec3(c.x() + s * (cosYaw * dx + sinYaw * dy), c.y() + s * (-sinYaw * dx + cosYaw * dy), c.z() + s * dz);
    return new Pose3(p, Quat.fromAxisAngle(Vec3.UNIT_Z, -yaw).times(operatorPose.rotation()));
  }

  /** The inverse of {@link #toRobot}. */
  public Pose3 toOperator(Pose3 robotPose) {
    Vec3 c = robotShoulderCentre();
    double s = armScale();
    double bx = (robotPose.translation().x() - c.x()) / s;
    double by = (robotPose.translation().y() - c.y()) / s;
    double bz = (robotPose.translation().z() - c.z()) / s;
    Vec3 p = new Vec3(shoulderCentre[0] + cosYaw * bx - sinYaw * by, shoulderCentre[1] + sinYaw * bx + cosYaw * by,
        shoulderCentre[2] + bz);
    return new Pose3(p, Quat.fromAxisAngle(Vec3.UNIT_Z, yaw).times(robotPose.rotation()));
  }

  private Vec3 robotShoulderCentre() {
    return robot.leftShoulder().plus(robot.rightShoulder()).times(0.5);
  }
}
