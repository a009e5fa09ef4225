package io.optimus.teleop;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.common.InputException;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import io.optimus.teleop.source.PoseSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorStreamTest {
  static Pose pose(double x) {
    return Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setZ(1))
        .setOrientation(Quaternion.newBuilder().setW(1)).build();
  }

  static PoseSource of(OperatorFrame.Builder... frames) {
    Deque<OperatorFrame.Builder> q = new ArrayDeque<>(java.util.List.of(frames));
    return new PoseSource() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public Optional<OperatorFrame.Builder> next() {
        return Optional.ofNullable(q.poll());
      }
    };
  }

  static OperatorFrame.Builder frame(long t) {
    return OperatorFrame.newBuilder().setCaptureTime(Timestamp.newBuilder().setMonotonicNs(t))
        .setHead(pose(0)).setHeadValid(true)
        .setRight(HandInput.newBuilder().setGripPose(pose(0.4)).setGripValid(true).setSqueeze(1f).setTracked(true));
  }

  @Test
  void stampsIdsAndAStrictlyIncreasingSequence() throws Exception {
    try (OperatorStream s = new OperatorStream(of(frame(1), frame(2), frame(3)), "alice")) {
      OperatorFrame a = s.next().orElseThrow();
      OperatorFrame b = s.next().orElseThrow();
      assertEquals(1, a.getSchemaVersion());
      assertEquals("alice", a.getOperatorId());
      assertEquals("test", a.getSource());
      assertEquals(s.sessionId(), b.getSessionId());
      assertEquals(a.getSequence() + 1, b.getSequence());
      assertTrue(a.getCommands().getDeadman());
      s.next();
      assertTrue(s.next().isEmpty());
    }
  }

  @Test
  void aBodyMakesTheFrameSchemaTwoAndANonFiniteBodyIsDropped() throws Exception {
    BodySkeleton.Builder body = BodySkeleton.newBuilder().setActive(true).setSource("mocap");
    for (int i = 0; i < 16; i++) {
      body.addJoints(BodyJoint.newBuilder().setPose(pose(0.1 * i)).setConfidence(1f).setOrientationValid(true));
    }
    OperatorFrame.Builder nanJoint = frame(2).setBody(body.clone().setJoints(5, BodyJoint.newBuilder().setPose(pose(Double.NaN))));
    OperatorFrame.Builder nanConfidence = frame(3).setBody(body.clone().setJoints(7, BodyJoint.newBuilder().setPose(pose(0))
        .setConfidence(Float.NaN)));
    try (OperatorStream s = new OperatorStream(of(frame(1).setBody(body), nanJoint, nanConfidence, frame(4)), "alice")) {
      OperatorFrame a = s.next().orElseThrow();
      assertEquals(OperatorStream.SCHEMA_VERSION_BODY, a.getSchemaVersion());
      assertEquals(body.build(), a.getBody());
      for (int k = 0; k < 2; k++) {
        OperatorFrame bad = s.next().orElseThrow();
        assertFalse(bad.hasBody(), "a body with a non-finite value is not sent");
        assertEquals(OperatorStream.SCHEMA_VERSION, bad.getSchemaVersion());
        assertTrue(bad.getHeadValid(), "the rest of the frame stands");
        OperatorStream.checkFinite(bad);
      }
      assertEquals(2, s.sanitizedFrames());
      assertEquals(OperatorStream.SCHEMA_VERSION, s.next().orElseThrow().getSchemaVersion(), "no body: schema 1, as before");
    }
  }

  @Test
  void nanPosesAreInvalidatedNeverSent() throws Exception {
    OperatorFrame.Builder nanHead = frame(1).setHead(pose(Double.NaN));
    OperatorFrame.Builder nanGrip = frame(2);
    nanGrip.getRightBuilder().setGripPose(pose(Double.POSITIVE_INFINITY)).setSqueeze(Float.NaN);
    OperatorFrame.Builder nanJoint = frame(3);
    nanJoint.getLeftBuilder().setHand(HandSkeleton.newBuilder().setActive(true)
        .addJoints(HandJoint.newBuilder().setPose(pose(Double.NaN))));
    try (OperatorStream s = new OperatorStream(of(nanHead, nanGrip, nanJoint, frame(4)), "alice")) {
      OperatorFrame a = s.next().orElseThrow();
      assertFalse(a.getHeadValid());
      OperatorStream.checkFinite(a);
      OperatorFrame b = s.next().orElseThrow();
      assertFalse(b.getRight().getGripValid());
      assertEquals(0f, b.getRight().getSqueeze(), "a NaN squeeze reads as released");
      assertFalse(b.getCommands().getDeadman(), "so the deadman drops");
      OperatorStream.checkFinite(b);
      OperatorFrame c = s.next().orElseThrow();
      assertFalse(c.getLeft().getHand().getActive());
      OperatorStream.checkFinite(c);
      assertEquals(3, s.sanitizedFrames());
      assertTrue(s.next().orElseThrow().getHeadValid());
      assertEquals(3, s.sanitizedFrames());
    }
    InputException e = assertThrows(InputException.class,
        () -> OperatorStream.checkFinite(frame(1).setSequence(9).setSource("x").setHead(pose(Double.NaN)).build()));
    assertTrue(e.getMessage().contains("operator frame 9 from 'x' head"), e.getMessage());
  }
}
