package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MocapOperatorSourceTest {

  @Test
  void playsTheClipAsOperatorFramesAtTheRate() {
    KeypointMotion m = KeypointMotionTest.load(SharedClips.WALK_MB);
    MocapOperatorSource source = new MocapOperatorSource(m, "mocap-test", 60, false);
    int n = source.framesPerPass();
    assertEquals((int) Math.floor(342 * 0.008333 * 60) + 1, n);
    List<OperatorFrame> frames = new ArrayList<>();
    while (source.hasNext()) {
      frames.add(source.next(Timestamp.newBuilder().setMonotonicNs(frames.size()).build()));
    }
    assertEquals(n, frames.size());
    for (int i = 0; i < n; i++) {
      OperatorFrame f = frames.get(i);
      assertEquals(i + 1, f.getSequence());
      assertEquals("bvh:" + SharedClips.WALK_MB, f.getSource());
      assertEquals(2, f.getSchemaVersion(), "frames with a body are schema 2");
      assertTrue(f.getHeadValid() && f.getLeft().getGripValid() && f.getRight().getTracked());
      assertTrue(f.getCommands().getDeadman());
      assertUnit(f.getHead());
      assertUnit(f.getLeft().getGripPose());
      assertUnit(f.getRight().getGripPose());
      // Frame i is at t = i / 60 s, about clip frame 2i (Frame Time is 0.008333, not 1/120): the eyes sit
      // a fixed 10 cm from the head joint, the grips 7 cm from the wrists.
      double eye = Math.hypot(MocapOperatorSource.EYE_OFFSET[0], MocapOperatorSource.EYE_OFFSET[2]);
      assertEquals(eye, distance(f.getHead(), m, 2 * i, Keypoint.HEAD), 3e-3);
      assertEquals(MocapOperatorSource.PALM_OFFSET_M, distance(f.getLeft().getGripPose(), m, 2 * i,
          Keypoint.LEFT_WRIST), 3e-3);
      assertEquals(MocapOperatorSource.PALM_OFFSET_M, distance(f.getRight().getGripPose(), m, 2 * i,
          Keypoint.RIGHT_WRIST), 3e-3);
    }
    OperatorFrame first = frames.get(0);
    assertEquals(1, first.getHead().getOrientation().getW(), 1e-9);
    // First frame: eyes straight ahead of the head joint; palms below the wrists (arms hanging).
    assertEquals(m.position(0, Keypoint.HEAD, 0) + 0.08, first.getHead().getPosition().getX(), 1e-9);
    assertEquals(m.position(0, Keypoint.LEFT_WRIST, 2) - 0.07, first.getLeft().getGripPose().getPosition().getZ(), 1e-9);
    assertTrue(first.getLeft().getGripPose().getPosition().getY() > first.getRight().getGripPose().getPosition().getY());
    double headZ = first.getHead().getPosition().getZ();
    assertTrue(headZ > 1.3 && headZ < 1.8, "head height " + headZ);
    // The human walks: the head moves forward along +x.
    assertTrue(frames.get(n - 1).getHead().getPosition().getX() > 2.0);
    assertEquals(first.getSessionId(), frames.get(n - 1).getSessionId());
  }

  /**
   * The body is the clip's skeleton: each joint at its keypoint (operator frame, z up), orientations
   * relative to the first frame, spine and neck (no keypoint) at confidence 0.
   */
  @Test
  void theBodyIsTheClipsSkeletonAtItsKeypoints() {
    KeypointMotion m = KeypointMotionTest.load(SharedClips.WALK_3DSMAX);
    MocapOperatorSource source = new MocapOperatorSource(m, "op", 60, false);
    double[] q = new double[4];
    for (int frame : new int[] {0, 100, 500, m.frameCount() - 1}) {
      double t = frame * m.frameTime();
      BodySkeleton b = source.frameAt(t, Timestamp.getDefaultInstance(), 1).getBody();
      assertTrue(b.getActive());
      assertEquals("mocap", b.getSource());
      assertEquals(16, b.getJointsCount());
      for (BodyJointId id : BodyJointId.values()) {
        if (id == BodyJointId.UNRECOGNIZED) {
          continue;
        }
        BodyJoint j = b.getJoints(id.getNumber());
        Keypoint k = KeypointBody.keypoint(id);
        if (k == null) {
          assertEquals(0f, j.getConfidence(), id + " has no keypoint: not tracked");
          continue;
        }
        assertEquals(1f, j.getConfidence(), id.toString());
        assertTrue(j.getOrientationValid());
        assertEquals(0, distance(j.getPose(), m, frame, k), 1e-9, id + " at " + k + ", frame " + frame);
        m.sampleOrientation(t, k, q);
        var o = j.getPose().getOrientation();
        assertArrayEquals(q, new double[] {o.getW(), o.getX(), o.getY(), o.getZ()}, 1e-9, id.toString());
        if (frame == 0) {
          assertEquals(1, o.getW(), 1e-9, id + ": orientations are relative to the first frame");
        }
      }
      var joints = b.getJointsList();
      double head = joints.get(BodyJointId.BODY_JOINT_HEAD_VALUE).getPose().getPosition().getZ();
      double shoulder = joints.get(BodyJointId.BODY_JOINT_LEFT_SHOULDER_VALUE).getPose().getPosition().getZ();
      double hip = joints.get(BodyJointId.BODY_JOINT_LEFT_HIP_VALUE).getPose().getPosition().getZ();
      double knee = joints.get(BodyJointId.BODY_JOINT_LEFT_KNEE_VALUE).getPose().getPosition().getZ();
      double ankle = joints.get(BodyJointId.BODY_JOINT_LEFT_ANKLE_VALUE).getPose().getPosition().getZ();
      assertTrue(head > shoulder && shoulder > hip && hip > knee && knee > ankle && ankle > -0.05 && head > 1.0,
          "z up, a standing human: head " + head + ", shoulder " + shoulder + ", hip " + hip + ", knee " + knee
              + ", ankle " + ankle);
      assertTrue(joints.get(BodyJointId.BODY_JOINT_LEFT_ELBOW_VALUE).getPose().getPosition().getY()
          > joints.get(BodyJointId.BODY_JOINT_RIGHT_ELBOW_VALUE).getPose().getPosition().getY(), "left is +y");
    }
  }

  @Test
  void loopingSourceWrapsAndPlayStopsOnRequest() {
    KeypointMotion m = KeypointMotionTest.load(SharedClips.WALK_MB);
    MocapOperatorSource source = new MocapOperatorSource(m, "op", 500, true);
    List<OperatorFrame> got = new ArrayList<>();
    source.play(got::add, () -> got.size() >= source.framesPerPass() + 3);
    assertEquals(source.framesPerPass() + 3, got.size());
    OperatorFrame wrapped = got.get(source.framesPerPass());
    assertEquals(got.get(0).getHead().getPosition(), wrapped.getHead().getPosition(), "restarts the clip");
    assertTrue(wrapped.getSequence() > got.get(0).getSequence(), "sequence keeps increasing");
    for (int i = 1; i < got.size(); i++) {
      assertTrue(got.get(i).getCaptureTime().getMonotonicNs() >= got.get(i - 1).getCaptureTime().getMonotonicNs());
    }
    assertTrue(source.hasNext());
    assertFalse(new MocapOperatorSource(m, "op", 1, false).framesPerPass() > 3);
  }

  private static double distance(Pose p, KeypointMotion m, int frame, Keypoint k) {
    double dx = p.getPosition().getX() - m.position(frame, k, 0);
    double dy = p.getPosition().getY() - m.position(frame, k, 1);
    double dz = p.getPosition().getZ() - m.position(frame, k, 2);
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** The frames drive the bridge's own retargeter (the live path) without NaN or limit violations. */
  @Test
  void framesDriveTheOperatorRetargeter() {
    KeypointMotion m = KeypointMotionTest.load(SharedClips.PICKUP_ICLONE);
    var model = io.optimus.motion.model.Robots.load("optimus");
    var retargeter = new io.optimus.motion.retarget.OperatorRetargeter(model);
    MocapOperatorSource source = new MocapOperatorSource(m, "op", 50, false);
    double[] q = retargeter.homePosture();
    double[] out = new double[q.length];
    int n = 0;
    while (source.hasNext()) {
      retargeter.retarget(source.next(), 0.02, q, out);
      for (var j : model.dofJoints()) {
        double v = out[j.qIndex()];
        assertTrue(Double.isFinite(v));
        if (j.limits().hasPositionLimits()) {
          assertTrue(v >= j.limits().lower() - 1e-9 && v <= j.limits().upper() + 1e-9, j.name());
        }
        assertTrue(Math.abs(v - q[j.qIndex()]) <= j.limits().velocity() * 0.02 + 1e-9, j.name() + " speed");
      }
      System.arraycopy(out, 0, q, 0, q.length);
      n++;
    }
    assertTrue(n > 900);
  }

  private static void assertUnit(Pose p) {
    var q = p.getOrientation();
    assertEquals(1, q.getW() * q.getW() + q.getX() * q.getX() + q.getY() * q.getY() + q.getZ() * q.getZ(), 1e-9);
  }
}
