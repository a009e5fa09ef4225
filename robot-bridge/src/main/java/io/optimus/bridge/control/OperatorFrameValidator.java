package io.optimus.bridge.control;

import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import java.util.regex.Pattern;

/**
 * Rejects operator frames a retargeter must never see: non-finite numbers, poses farther than
 * {@link #MAX_DISTANCE} m from the operator origin, orientations that are not unit quaternions,
 * analog inputs out of range, a hand skeleton without its 26 joints, an active body skeleton without
 * its 16 joints or with a confidence outside [0, 1], an unknown schema version, a missing session id; and ({@link #stampProblem}) capture times the bridge's clock cannot believe.
 */
public final class OperatorFrameValidator {
  public static final double MAX_DISTANCE = 5.0;
  /** The newest OperatorFrame schema understood: 2 added the body skeleton (1-frames have none). */
  public static final int SCHEMA_VERSION = 2;
  /** Joints of an active body skeleton: one per BodyJointId, in enum order. */
  public static final int BODY_JOINTS = 16;
  /** capture_time.wall_ns may be this far ahead of the bridge's wall clock (clock skew, display prediction). */
  public static final long MAX_AHEAD_NS = 2_000_000_000L;
  /** ... and this far behind it (the broker already drops frames older than 1 s). */
  public static final long MAX_BEHIND_NS = 10_000_000_000L;
  /** capture_time.monotonic_ns counts from the operator host's boot: more than 10 years is absurd. */
  public static final long MAX_MONOTONIC_NS = 10L * 366 * 24 * 3600 * 1_000_000_000L;
  private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern SESSION = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private OperatorFrameValidator() {}

  /** Null when the frame is acceptable, else what is wrong with it (naming the field). */
  public static String problem(OperatorFrame f) {
    if (f.getSchemaVersion() > SCHEMA_VERSION) {
      return "schema_version " + f.getSchemaVersion() + " is newer than supported (" + SCHEMA_VERSION + ")";
    }
    if (f.getSequence() == 0) {
      return "sequence 0 (sequences start at 1)";
    }
    if (!OPERATOR.matcher(f.getOperatorId()).matches()) {
      return "operator_id '" + (f.getOperatorId().length() > 64 ? f.getOperatorId().substring(0, 64) + "..."
          : f.getOperatorId()).replaceAll("[^\\x20-\\x7e]", "?") + "' is not 1-64 of A-Z a-z 0-9 _ . -";
    }
    if (!SESSION.matcher(f.getSessionId()).matches()) {
      return f.getSessionId().isEmpty() ? "session_id is empty (a client sends one per run)"
          : "session_id is not 1-128 printable ASCII characters";
    }
    if (f.getHeadValid()) {
      String p = pose("head", f.getHead());
      if (p != null) {
        return p;
      }
    }
    String l = hand("left", f.getLeft());
    if (l != null) {
      return l;
    }
    String r = hand("right", f.getRight());
    return r != null ? r : body(f.getBody());
  }

  /** An active body has its 16 joints; every joint sent has a finite position in range, a confidence in [0, 1] and a unit quaternion where its orientation is valid. */
  private static String body(BodySkeleton b) {
    if (b.getActive() && b.getJointsCount() != BODY_JOINTS) {
      return "body has " + b.getJointsCount() + " joints, expected " + BODY_JOINTS + " (one per BodyJointId)";
    }
    for (int i = 0; i < b.getJointsCount(); i++) { // an inactive body's joints too: nothing non-finite gets through
      BodyJoint j = b.getJoints(i);
      String name = "body." + jointName(i);
      if (!(j.getConfidence() >= 0 && j.getConfidence() <= 1)) {
        return name + ".confidence " + j.getConfidence() + " is outside [0, 1]";
      }
      String p = j.getOrientationValid() ? pose(name, j.getPose()) : position(name, j.getPose());
      if (p != null) {
        return p;
      }
      var q = j.getPose().getOrientation();
      if (!(Double.isFinite(q.getW()) && Double.isFinite(q.getX()) && Double.isFinite(q.getY()) && Double.isFinite(q.getZ()))) {
        return name + " orientation is not finite";
      }
    }
    return null;
  }

  private static String jointName(int i) {
    BodyJointId id = BodyJointId.forNumber(i);
    return id == null ? "joints[" + i + "]" : id.name().substring("BODY_JOINT_".length()).toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Null when the frame's capture time is believable against the bridge's wall clock
   * {@code bridgeWallNs}, else what is wrong. Unset fields (0) are not checked; a frame far from the
   * bridge's clock would poison latency figures and recordings (their gap statistics).
   */
  public static String stampProblem(OperatorFrame f, long bridgeWallNs) {
    Timestamp t = f.getCaptureTime();
    long mono = t.getMonotonicNs();
    if (mono < 0 || mono > MAX_MONOTONIC_NS) {
      return "capture_time.monotonic_ns " + mono + " is outside [0, 10 years]";
    }
    long wall = t.getWallNs();
    if (wall != 0) {
      long ahead = wall - bridgeWallNs;
      if (((wall ^ bridgeWallNs) & (wall ^ ahead)) < 0) { // overflow: as far as it gets
        ahead = wall < bridgeWallNs ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      if (ahead > MAX_AHEAD_NS) {
        return "capture_time.wall_ns " + wall + " is " + String.format("%.1f s", ahead / 1e9)
            + " ahead of the bridge clock (max " + MAX_AHEAD_NS / 1e9 + " s): are the hosts' clocks synchronized?";
      }
      if (ahead < -MAX_BEHIND_NS) {
        return "capture_time.wall_ns " + wall + " is " + String.format("%.1f s", -ahead / 1e9)
            + " behind the bridge clock (max " + MAX_BEHIND_NS / 1e9 + " s): are the hosts' clocks synchronized?";
      }
    }
    return null;
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
    String where = position(name, p);
    if (where != null) {
      return where;
    }
    var q = p.getOrientation();
    double n = Math.sqrt(q.getW() * q.getW() + q.getX() * q.getX() + q.getY() * q.getY() + q.getZ() * q.getZ());
    if (!Double.isFinite(n) || Math.abs(n - 1) > 0.05) {
      return name + " orientation is not a unit quaternion (norm " + n + ")";
    }
    return null;
  }

  private static String position(String name, Pose p) {
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
    return null;
  }
}
