package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link OperatorFrameValidator} on schema 2's body skeleton: what passes, and one line naming the joint for what does not. */
class OperatorFrameBodyValidationTest {
  static BodyJoint joint(double x, double y, double z) {
    return BodyJoint.newBuilder().setConfidence(0.9f).setOrientationValid(true)
        .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
            .setOrientation(Quaternion.newBuilder().setW(Math.sqrt(0.5)).setZ(Math.sqrt(0.5))))
        .build();
  }

  /** A standing operator's 16 joints, schema 2. */
  static OperatorFrame.Builder withBody() {
    BodySkeleton.Builder b = BodySkeleton.newBuilder().setActive(true).setSource("XR_FB_body_tracking");
    for (int i = 0; i < OperatorFrameValidator.BODY_JOINTS; i++) {
      b.addJoints(joint(0.1, 0.01 * i, 0.1 * i));
    }
    return OperatorFrame.newBuilder().setSchemaVersion(2).setOperatorId("alice").setSessionId("s1").setSequence(1)
        .setBody(b);
  }

  static OperatorFrame withJoint(int i, BodyJoint j) {
    OperatorFrame.Builder f = withBody();
    f.getBodyBuilder().setJoints(i, j);
    return f.build();
  }

  @Test
  void schemaTwoWithAWholeBodyAndSchemaOneWithoutAreAccepted() {
    assertNull(OperatorFrameValidator.problem(withBody().build()));
    assertNull(OperatorFrameValidator.problem(withBody().clearBody().setSchemaVersion(1).build()));
    assertNull(OperatorFrameValidator.problem(withBody().setBody(BodySkeleton.newBuilder().setActive(false)).build()),
        "an untracked body has no joints");
    // an absent joint: confidence 0, no orientation, the default (zero) quaternion
    assertNull(OperatorFrameValidator.problem(withJoint(11, BodyJoint.getDefaultInstance())));
    assertEquals("schema_version 3 is newer than supported (2)",
        OperatorFrameValidator.problem(withBody().setSchemaVersion(3).build()));
  }

  @Test
  void aBodyWithoutItsSixteenJointsIsRefused() {
    OperatorFrame.Builder f = withBody();
    f.getBodyBuilder().removeJoints(15);
    assertEquals("body has 15 joints, expected 16 (one per BodyJointId)", OperatorFrameValidator.problem(f.build()));
    f.getBodyBuilder().addJoints(joint(0, 0, 1)).addJoints(joint(0, 0, 1));
    assertEquals("body has 17 joints, expected 16 (one per BodyJointId)", OperatorFrameValidator.problem(f.build()));
  }

  @Test
  void nanHugeAndNonUnitJointsAreRefusedNamingTheJoint() {
    assertEquals("body.left_elbow position is not finite",
        OperatorFrameValidator.problem(withJoint(5, joint(Double.NaN, 0, 1))));
    assertEquals("body.right_knee position is 1000.0 m from the origin (max 5.0)",
        OperatorFrameValidator.problem(withJoint(14, joint(0, 0, 1000))));
    assertEquals("body.pelvis position is not finite",
        OperatorFrameValidator.problem(withJoint(0, joint(Double.POSITIVE_INFINITY, 0, 1))));
    BodyJoint squashed = joint(0, 0, 1).toBuilder().setPose(joint(0, 0, 1).getPose().toBuilder()
        .setOrientation(Quaternion.newBuilder().setW(2))).build();
    assertEquals("body.head orientation is not a unit quaternion (norm 2.0)", OperatorFrameValidator.problem(withJoint(3, squashed)));
    // without a valid orientation the quaternion is not used, but must still be a number
    assertNull(OperatorFrameValidator.problem(withJoint(3, squashed.toBuilder().setOrientationValid(false).build())));
    BodyJoint nanQ = squashed.toBuilder().setOrientationValid(false).setPose(squashed.getPose().toBuilder()
        .setOrientation(Quaternion.newBuilder().setW(Double.NaN))).build();
    assertEquals("body.head orientation is not finite", OperatorFrameValidator.problem(withJoint(3, nanQ)));
    assertEquals("body.neck.confidence 1.5 is outside [0, 1]",
        OperatorFrameValidator.problem(withJoint(2, joint(0, 0, 1.5).toBuilder().setConfidence(1.5f).build())));
    assertEquals("body.neck.confidence NaN is outside [0, 1]",
        OperatorFrameValidator.problem(withJoint(2, joint(0, 0, 1.5).toBuilder().setConfidence(Float.NaN).build())));
    OperatorFrame.Builder inactive = withBody();
    inactive.getBodyBuilder().setActive(false).setJoints(9, joint(Double.NaN, 0, 0));
    assertEquals("body.right_wrist position is not finite", OperatorFrameValidator.problem(inactive.build()),
        "an untracked body's joints are checked as well");
  }

  @Test
  void garbageAndTruncatedPayloadsNeverPassAsABrokenBody() {
    byte[] whole = withBody().build().toByteArray();
    for (int cut = 0; cut < whole.length; cut++) {
      byte[] part = Arrays.copyOf(whole, cut);
      try {
        String p = OperatorFrameValidator.problem(OperatorFrame.parseFrom(part));
        if (p != null) {
          assertFalse(p.contains("\n"), p);
        }
      } catch (InvalidProtocolBufferException refused) {
        // dropped by the endpoint
      }
    }
    Random random = new Random(26);
    int parsed = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] noisy = whole.clone();
      for (int k = 0; k < 3; k++) {
        noisy[random.nextInt(noisy.length)] = (byte) random.nextInt(256);
      }
      try {
        OperatorFrame f = OperatorFrame.parseFrom(noisy);
        parsed++;
        String p = OperatorFrameValidator.problem(f);
        if (p == null && f.getBody().getActive()) {
          assertEquals(16, f.getBody().getJointsCount());
          for (BodyJoint j : f.getBody().getJointsList()) {
            assertTrue(Double.isFinite(j.getPose().getPosition().getX()) && j.getConfidence() >= 0 && j.getConfidence() <= 1);
          }
        } else if (p != null) {
          assertFalse(p.isBlank() || p.contains("\n"), p);
        }
      } catch (InvalidProtocolBufferException refused) {
        // dropped by the endpoint
      }
    }
    assertTrue(parsed > 100, "the noise left parseable frames to validate: " + parsed);
    // a huge body (100 000 extra joints) is refused by count, in one line, without looking at each joint
    OperatorFrame.Builder huge = withBody();
    for (int i = 0; i < 100_000; i++) {
      huge.getBodyBuilder().addJoints(BodyJoint.getDefaultInstance());
    }
    assertEquals("body has 100016 joints, expected 16 (one per BodyJointId)", OperatorFrameValidator.problem(huge.build()));
  }
}
