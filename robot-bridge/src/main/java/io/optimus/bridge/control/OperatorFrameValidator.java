package io.optimus.bridge.control;

import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;

/**
 * Rejects operator frames a retargeter must never see: non-finite numbers, poses farther than
 * {@link #MAX_DISTANCE} m from the operator origin, orientations that are not unit quaternions,
 * analog inputs out of range, a hand skeleton without its 26 joints, an unknown schema version.
 */
public final class OperatorFrameValidator {
  public static final double MAX_DISTANCE = 5.0;
  public static final int SCHEMA_VERSION = 1;

  private OperatorFrameValidator() {}

  /** Null when the frame is acceptable, else what is wrong with it (naming the field). */
  public static String problem(OperatorFrame f) {
    if (f.getSchemaVersion() > SCHEMA_VERSION) {
      return "schema_version " + f.getSchemaVersion() + " is newer than supported (" + SCHEMA_VERSION + ")";
    }
    if (f.getSequence() == 0) {
      return "sequence 0 (sequences start at 1)";
    }
    if (f.getHeadValid()) {
      String p = pose("head", f.getHead());
      if (p != null) {
        return p;
      }
    }
    String l = hand("left", f.getLeft());
    return l != null ? l : hand("right", f.getRight());
  }

  private static String hand(String side, HandInput h) {
    if (h.getGripValid()) {
      String p = pose(side + ".grip_pose", h.getGripPose());
      if (p != null) {
        return p;
      }
    }
    if (h.getAimValid()) {
      String p = pose(side + ".aim_pose", h.getAimPose());
      if (p != null) {
        return p;
      }
    }
    if (!unit(h.getTrigger())) {
      return side + ".trigger " + h.getTrigger() + " is outside [0, 1]";
    }
    if (!unit(h.getSqueeze())) {
      return side + ".squeeze " + h.getSqueeze() + " is outside [0, 1]";
    }
    double sx = h.getThumbstick().getX();
    double sy = h.getThumbstick().getY();
    if (!(Math.abs(sx) <= 1.0001 && Math.abs(sy) <= 1.0001)) {
      return side + ".thumbstick (" + sx + ", " + sy + ") is outside [-1, 1]";
    }
    if (h.getHand().getActive()) {
      if (h.getHand().getJointsCount() != 26) {
        return side + ".hand has " + h.getHand().getJointsCount() + " joints, expected 26 (XR_EXT_hand_tracking)";
      }
      for (int i = 0; i < 26; i++) {
        var j = h.getHand().getJoints(i);
        if (j.getPositionValid() || j.getOrientationValid()) {
          String p = pose(side + ".hand.joints[" + i + "]", j.getPose());
          if (p != null) {
            return p;
          }
        }
        if (!(j.getRadius() >= 0 && j.getRadius() < 0.2)) {
          return side + ".hand.joints[" + i + "].radius " + j.getRadius() + " is out of range";
        }
      }
    }
    return null;
  }

  private static boolean unit(float v) {
    return v >= 0 && v <= 1;
  }

  private static String pose(String name, Pose p) {
    double x = p.getPosition().getX();
    double y = p.getPosition().getY();
    double z = p.getPosition().getZ();
    if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z))) {
      return name + " position is not finite";
    }
    if (Math.sqrt(x * x + y * y + z * z) > MAX_DISTANCE) {
      return name + " position is " + String.format("%.1f", Math.sqrt(x * x + y * y + z * z))
          + " m from the origin (max " + MAX_DISTANCE + ")";
    }
    var q = p.getOrientation();
    double n = Math.sqrt(q.getW() * q.getW() + q.getX() * q.getX() + q.getY() * q.getY() + q.getZ() * q.getZ());
    if (!Double.isFinite(n) || Math.abs(n - 1) > 0.05) {
      return name + " orientation is not a unit quaternion (norm " + n + ")";
    }
    return null;
  }
}
