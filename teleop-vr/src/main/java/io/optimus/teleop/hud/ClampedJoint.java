package io.optimus.teleop.hud;

import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;

/**
 * The joint where the robot cannot follow the operator, and why, as the HUD names it. From the bridge's
 * {@link SafetyStatus}: {@code retarget_limited_joint} (the retargeter holds it at a position limit while
 * the operator asks for more) while it names one; otherwise a velocity, acceleration, position-limit or
 * self-collision clamp the safety supervisor reported as its last event within {@link #RECENT_NS} (it repeats
 * a continuing clamp's event at most once a second, so a clamp that goes on stays shown, and one that
 * stopped clears). {@link #NONE} while the robot follows.
 */
public record ClampedJoint(String joint, String reason) {
  public static final ClampedJoint NONE = new ClampedJoint("", "");
  /** How long after the supervisor's clamp event it is still shown (its cool-down is 1 s). */
  public static final long RECENT_NS = 1_500_000_000L;

  public ClampedJoint {
    joint = joint == null ? "" : joint;
    reason = reason == null ? "" : reason;
  }

  public boolean any() {
    return !joint.isEmpty();
  }

  /** What the HUD shows, e.g. {@code left_elbow: position limit} (a trailing "_joint" dropped: room). */
  public String label() {
    String name = joint.endsWith("_joint") ? joint.substring(0, joint.length() - "_joint".length()) : joint;
    return name + (reason.isEmpty() ? "" : ": " + reason);
  }

  /** The clamp {@code s} reports (null: nothing received yet, so none). */
  public static ClampedJoint of(SafetyStatus s) {
    if (s == null) {
      return NONE;
    }
    SafetyEvent e = s.hasLastEvent() ? s.getLastEvent() : null;
    String why = e == null ? null : reason(e);
    boolean recent = why != null && !e.getJoint().isEmpty() && s.hasStamp() && e.hasStamp()
        && s.getStamp().getWallNs() - e.getStamp().getWallNs() <= RECENT_NS;
    String limited = s.getRetargetLimitedJoint();
    if (!limited.isEmpty()) {
      // the supervisor's reason where it clamps the same joint (a velocity limit, say), else the retargeter's
      return new ClampedJoint(limited, recent && e.getJoint().equals(limited) ? why : "position limit");
    }
    return recent ? new ClampedJoint(e.getJoint(), why) : NONE;
  }

  /** Why the event clamped a joint, or null when it is not a clamp. */
  private static String reason(SafetyEvent e) {
    return switch (e.getType()) {
      case SAFETY_EVENT_POSITION_LIMIT -> "position limit";
      case SAFETY_EVENT_VELOCITY_LIMIT -> "velocity limit";
      case SAFETY_EVENT_ACCELERATION_LIMIT -> "acceleration limit";
      case SAFETY_EVENT_SELF_COLLISION -> "self-collision";
      default -> null;
    };
  }
}
