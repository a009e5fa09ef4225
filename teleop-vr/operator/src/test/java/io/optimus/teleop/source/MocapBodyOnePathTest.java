package io.optimus.teleop.source;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.motion.bvh.BvhBroadcast;
import io.optimus.motion.bvh.BvhClip;
import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.bvh.KeypointMotion;
import io.optimus.motion.bvh.MocapOperatorSource;
import io.optimus.motion.bvh.SkeletonMap;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A clip read from its file ({@link MocapOperatorSource}, {@code mocap retarget}'s episodes; {@code bvh:FILE})
 * and the same clip streamed live over TCP ({@code mocap-stream}) give the same operator body, head (eyes) and
 * grips, frame by frame: one joint mapping and conversion. Only the floor height differs: a file's is its lowest point over the
 * whole clip, a stream's over the frames seen so far (its first and the current one).
 */
class MocapBodyOnePathTest {
  @Test
  void theStreamedBodyIsTheFilesBodyFrameByFrame() throws Exception {
    Path clip = MocapStreamPoseSourceTest.clip();
    BvhClip parsed = BvhParser.parse(clip, null);
    KeypointMotion motion = KeypointMotion.from(parsed, SkeletonMap.detect(parsed.name(), parsed.skeleton()));
    MocapOperatorSource file = new MocapOperatorSource(motion, "op", 120, false);
    BvhPoseSource bvh = new BvhPoseSource(motion, "bvh:test");
    try (BvhBroadcast suit = BvhBroadcast.start(clip, 0);
        MocapStreamPoseSource live = MocapStreamPoseSource.of("127.0.0.1:" + suit.port())) {
      int frame = 0;
      for (int tries = 0; tries < 2000 && frame < 200; tries++) {
        Optional<OperatorFrame.Builder> f = live.next();
        if (f.isEmpty() || !f.get().getHeadValid()) {
          continue; // not connected yet
        }
        double t = frame * motion.frameTime();
        OperatorFrame want = file.frameAt(t, Timestamp.getDefaultInstance(), 1);
        BodySkeleton fromFile = want.getBody();
        String what = "clip frame " + frame + ", mocap-stream vs MocapOperatorSource";
        double floor = assertSameBody(fromFile, f.get().getBody(), FLOOR_M, what);
        assertSamePose(want.getHead(), f.get().getHead(), floor, what + ": head");
        assertSamePose(want.getLeft().getGripPose(), f.get().getLeft().getGripPose(), floor, what + ": left grip");
        assertSamePose(want.getRight().getGripPose(), f.get().getRight().getGripPose(), floor, what + ": right grip");
        OperatorFrame.Builder b = bvh.frameAt(t, 0);
        what = "clip frame " + frame + ", bvh:FILE vs MocapOperatorSource";
        assertSameBody(fromFile, b.getBody(), 1e-9, what);
        assertSamePose(want.getHead(), b.getHead(), 0, what + ": head");
        assertSamePose(want.getLeft().getGripPose(), b.getLeft().getGripPose(), 0, what + ": left grip");
        frame++;
      }
      assertEquals(200, frame, "frames compared");
      assertEquals(0, live.refused());
    }
  }

  /** How far a stream's floor may lie from the file's (the lowest foot of the first and current frame, not all). */
  private static final double FLOOR_M = 0.02;

  /** The same joints, orientations and positions; heights may all differ by one floor offset up to {@code floorM}. */
  private static double assertSameBody(BodySkeleton want, BodySkeleton got, double floorM, String what) {
    double dz = got.getJoints(0).getPose().getPosition().getZ() - want.getJoints(0).getPose().getPosition().getZ();
    assertEquals(0, dz, floorM, what + ": floor offset");
    assertEquals(want.getActive(), got.getActive(), what);
    assertEquals(want.getSource(), got.getSource(), what);
    assertEquals(16, got.getJointsCount(), what);
    for (int i = 0; i < 16; i++) {
      BodyJoint a = want.getJoints(i);
      BodyJoint b = got.getJoints(i);
      String j = what + ", joint " + i;
      assertEquals(a.getConfidence(), b.getConfidence(), j);
      assertEquals(a.getOrientationValid(), b.getOrientationValid(), j);
      var p = a.getPose().getPosition();
      var q = b.getPose().getPosition();
      assertArrayEquals(new double[] {p.getX(), p.getY(), p.getZ() + (a.getConfidence() > 0 ? dz : 0)}, new double[] {q.getX(), q.getY(), q.getZ()},
          1e-6, j + " position");
      var r = a.getPose().getOrientation();
      var s = b.getPose().getOrientation();
      assertArrayEquals(new double[] {r.getW(), r.getX(), r.getY(), r.getZ()},
          new double[] {s.getW(), s.getX(), s.getY(), s.getZ()}, 1e-6, j + " orientation");
    }
    return dz;
  }

  /** The same pose, {@code dz} higher. */
  private static void assertSamePose(Pose want, Pose got, double dz, String what) {
    var p = want.getPosition();
    var q = got.getPosition();
    assertArrayEquals(new double[] {p.getX(), p.getY(), p.getZ() + dz}, new double[] {q.getX(), q.getY(), q.getZ()},
        1e-6, what + " position");
    var r = want.getOrientation();
    var s = got.getOrientation();
    assertArrayEquals(new double[] {r.getW(), r.getX(), r.getY(), r.getZ()},
        new double[] {s.getW(), s.getX(), s.getY(), s.getZ()}, 1e-6, what + " orientation");
  }
}
