package io.optimus.teleop.hud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.Timestamp;
import org.junit.jupiter.api.Test;

class ClampedJointTest {
  private static final long T = 1_000_000_000_000L;

  static SafetyStatus status(long wallNs, String limited, SafetyEventType type, String joint, long eventWallNs) {
    SafetyStatus.Builder s = SafetyStatus.newBuilder().setStamp(Timestamp.newBuilder().setWallNs(wallNs))
        .setRetargetLimitedJoint(limited);
    if (type != null) {
      s.setLastEvent(SafetyEvent.newBuilder().setType(type).setJoint(joint)
          .setStamp(Timestamp.newBuilder().setWallNs(eventWallNs)));
    }
    return s.build();
  }

  @Test
  void theRetargetersLimitedJointIsNamedWithItsReason() {
    assertEquals(new ClampedJoint("left_elbow_joint", "position limit"),
        ClampedJoint.of(status(T, "left_elbow_joint", null, "", 0)));
    assertEquals("left_elbow: position limit", ClampedJoint.of(status(T, "left_elbow_joint", null, "", 0)).label());
    // the supervisor clamping the same joint just now says why
    assertEquals(new ClampedJoint("left_elbow_joint", "velocity limit"), ClampedJoint.of(status(T, "left_elbow_joint",
        SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, "left_elbow_joint", T - 200_000_000L)));
    // ... another joint's event does not change the retargeter's reason
    assertEquals(new ClampedJoint("left_elbow_joint", "position limit"), ClampedJoint.of(status(T, "left_elbow_joint",
        SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, "neck_pitch_joint", T - 200_000_000L)));
  }

  @Test
  void aRecentSupervisorClampIsShownAndClearsWhenItStops() {
    assertEquals(new ClampedJoint("right_wrist_roll_joint", "acceleration limit"), ClampedJoint.of(status(T, "",
        SafetyEventType.SAFETY_EVENT_ACCELERATION_LIMIT, "right_wrist_roll_joint", T - ClampedJoint.RECENT_NS)));
    assertEquals(new ClampedJoint("left_forearm / torso", "self-collision"), ClampedJoint.of(status(T, "",
        SafetyEventType.SAFETY_EVENT_SELF_COLLISION, "left_forearm / torso", T - 10)));
    assertEquals(ClampedJoint.NONE, ClampedJoint.of(status(T, "", SafetyEventType.SAFETY_EVENT_POSITION_LIMIT,
        "left_elbow_joint", T - ClampedJoint.RECENT_NS - 1)), "over: cleared");
    assertEquals(ClampedJoint.NONE, ClampedJoint.of(status(T, "", SafetyEventType.SAFETY_EVENT_ENGAGED, "", T)),
        "not a clamp");
    assertEquals(ClampedJoint.NONE, ClampedJoint.of(status(T, "", SafetyEventType.SAFETY_EVENT_VELOCITY_LIMIT, "", T)),
        "no joint named");
    assertEquals(ClampedJoint.NONE, ClampedJoint.of(null), "nothing received yet");
    assertFalse(ClampedJoint.of(status(T, "", null, "", 0)).any());
  }
}
