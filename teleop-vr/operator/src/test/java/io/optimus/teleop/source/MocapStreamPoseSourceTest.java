package io.optimus.teleop.source;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.common.InputException;
import io.optimus.motion.bvh.BvhBroadcast;
import io.optimus.motion.bvh.BvhException;
import io.optimus.motion.bvh.MocapOperatorSource;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.OperatorStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The live BVH-over-TCP source against a real server streaming a CMU clip. */
class MocapStreamPoseSourceTest {
  static Path clip() {
    return io.optimus.motion.testing.SharedData.mocapClip(io.optimus.motion.testing.SharedData.CMU_WALK);
  }

  static double distance(io.optimus.proto.v1.Pose a, io.optimus.proto.v1.Pose b) {
    return Math.sqrt(Math.pow(a.getPosition().getX() - b.getPosition().getX(), 2)
        + Math.pow(a.getPosition().getY() - b.getPosition().getY(), 2)
        + Math.pow(a.getPosition().getZ() - b.getPosition().getZ(), 2));
  }

  /** A frame with a tracked head (a real skeleton frame, not an outage frame). */
  private static OperatorFrame.Builder nextTracked(MocapStreamPoseSource src, int maxTries) throws Exception {
    for (int i = 0; i < maxTries; i++) {
      Optional<OperatorFrame.Builder> f = src.next();
      assertTrue(f.isPresent(), "a live source does not end on its own");
      if (f.get().getHeadValid()) {
        return f.get();
      }
    }
    return fail("no tracked frame in " + maxTries + " tries");
  }

  @Test
  void streamedClipGivesTrackedFramesWithTheDeadmanAfterTheLeadIn() throws Exception {
    try (BvhBroadcast server = BvhBroadcast.start(clip(), 0);
        MocapStreamPoseSource src = MocapStreamPoseSource.of("127.0.0.1:" + server.port())) {
      OperatorFrame.Builder first = nextTracked(src, 200);
      assertFalse(first.getCommands().getDeadman(), "lead-in: deadman released at first");
      assertEquals(1 / 120.0, src.frameTime(), 1e-5, "Frame Time from the stream header");
      double z0 = first.getHead().getPosition().getZ();
      assertTrue(z0 > 1.2 && z0 < 2.0, "head at a standing height: " + z0);
      boolean pressed = false;
      double moved = 0;
      for (int i = 0; i < 240 && !(pressed && moved > 0.05); i++) {
        OperatorFrame.Builder f = nextTracked(src, 10);
        pressed |= f.getCommands().getDeadman();
        moved = Math.max(moved, Math.abs(f.getHead().getPosition().getX() - first.getHead().getPosition().getX()));
      }
      assertTrue(pressed, "the deadman is pressed after the lead-in");
      assertTrue(moved > 0.05, "the walking head moves forward: " + moved);
      assertEquals(0, src.refused());
    }
  }

  @Test
  void theStreamedSkeletonIsTheBodyAtConfidenceOneWithSchemaTwo() throws Exception {
    try (BvhBroadcast server = BvhBroadcast.start(clip(), 0);
        OperatorStream stream = new OperatorStream(MocapStreamPoseSource.of("127.0.0.1:" + server.port()), "op")) {
      int seen = 0;
      for (int i = 0; i < 400 && seen < 60; i++) {
        OperatorFrame f = stream.next().orElseThrow();
        if (!f.getHeadValid()) {
          continue; // not connected yet
        }
        seen++;
        assertEquals(OperatorStream.SCHEMA_VERSION_BODY, f.getSchemaVersion());
        BodySkeleton b = f.getBody();
        assertTrue(b.getActive());
        assertEquals("mocap", b.getSource());
        assertEquals(16, b.getJointsCount());
        for (BodyJointId id : BodyJointId.values()) {
          if (id == BodyJointId.UNRECOGNIZED) {
            continue;
          }
          boolean missing = id == BodyJointId.BODY_JOINT_SPINE || id == BodyJointId.BODY_JOINT_NECK;
          assertEquals(missing ? 0f : 1f, b.getJoints(id.getNumber()).getConfidence(), id + ": the keypoints have it, or not");
        }
        // the head pose is the eyes, ahead of and above the head joint; the grips are the palm centres past the wrists
        assertEquals(Math.hypot(MocapOperatorSource.EYE_OFFSET[0], MocapOperatorSource.EYE_OFFSET[2]),
            distance(f.getHead(), b.getJoints(BodyJointId.BODY_JOINT_HEAD_VALUE).getPose()), 1e-6);
        assertEquals(MocapOperatorSource.PALM_OFFSET_M, distance(f.getLeft().getGripPose(),
            b.getJoints(BodyJointId.BODY_JOINT_LEFT_WRIST_VALUE).getPose()), 1e-6);
        assertEquals(MocapOperatorSource.PALM_OFFSET_M, distance(f.getRight().getGripPose(),
            b.getJoints(BodyJointId.BODY_JOINT_RIGHT_WRIST_VALUE).getPose()), 1e-6);
        double hip = b.getJoints(BodyJointId.BODY_JOINT_LEFT_HIP_VALUE).getPose().getPosition().getZ();
        double knee = b.getJoints(BodyJointId.BODY_JOINT_LEFT_KNEE_VALUE).getPose().getPosition().getZ();
        double ankle = b.getJoints(BodyJointId.BODY_JOINT_LEFT_ANKLE_VALUE).getPose().getPosition().getZ();
        double shoulder = b.getJoints(BodyJointId.BODY_JOINT_LEFT_SHOULDER_VALUE).getPose().getPosition().getZ();
        assertTrue(f.getHead().getPosition().getZ() > shoulder && shoulder > hip && hip > knee && knee > ankle && ankle > -0.05,
            "z up, a standing human: head, shoulder " + shoulder + ", hip " + hip + ", knee " + knee + ", ankle " + ankle);
        assertTrue(b.getJoints(BodyJointId.BODY_JOINT_LEFT_HIP_VALUE).getPose().getPosition().getY()
            > b.getJoints(BodyJointId.BODY_JOINT_RIGHT_HIP_VALUE).getPose().getPosition().getY(), "left is +y");
      }
      assertEquals(60, seen);
    }
  }

  @Test
  void droppedStreamReconnectsWithOneLogLinePerOutage() throws Exception {
    try (BvhBroadcast server = BvhBroadcast.start(clip(), 0);
        MocapStreamPoseSource src = MocapStreamPoseSource.of("127.0.0.1:" + server.port())) {
      nextTracked(src, 200);
      server.dropClient();
      // frames already received come first, then (nothing tracked during the outage) the reconnect
      for (int i = 0; i < 2000 && src.outages() == 0; i++) {
        src.next();
      }
      long before = src.accepted();
      OperatorFrame.Builder f = nextTracked(src, 400);
      assertTrue(f.getHeadValid());
      assertEquals(1, src.outages(), "one outage");
      assertTrue(src.accepted() > before);
      assertFalse(f.getCommands().getDeadman(), "after a reconnect the lead-in releases the deadman again");
    }
  }

  @Test
  void noServerYetGivesUntrackedFramesWithoutBlockingThenConnects() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (MocapStreamPoseSource src = MocapStreamPoseSource.of("127.0.0.1:" + port)) {
      for (int i = 0; i < 5; i++) {
        OperatorFrame.Builder f = src.next().orElseThrow();
        assertFalse(f.getHeadValid());
        assertFalse(f.getCommands().getDeadman());
      }
      assertEquals(1, src.outages(), "the repeated failed attempts are one outage");
      try (BvhBroadcast server = BvhBroadcast.start(clip(), port)) {
        assertTrue(nextTracked(src, 400).getHeadValid());
      }
    }
  }

  @Test
  void garbageTruncatedHugeAndNaNLinesAreRefusedAndTheStreamGoesOn() throws Exception {
    List<List<String>> parts = BvhBroadcast.split(clip());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        MocapStreamPoseSource src = MocapStreamPoseSource.of("127.0.0.1:" + server.getLocalPort())) {
      Thread t = Thread.ofPlatform().daemon().start(() -> {
        try (Socket c = server.accept()) {
          OutputStream out = c.getOutputStream();
          StringBuilder s = new StringBuilder();
          parts.get(0).forEach(l -> s.append(l).append('\n'));
          String good = parts.get(1).get(0);
          s.append("garbage here\n");
          s.append(good, 0, good.length() / 2).append('\n'); // truncated
          s.append(good.replaceFirst("^\\S+", "NaN")).append('\n');
          s.append(good.replaceFirst("^\\S+", "1e999")).append('\n');
          out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
          byte[] chunk = new byte[1 << 20];
          java.util.Arrays.fill(chunk, (byte) '7');
          for (int i = 0; i < 10; i++) {
            out.write(chunk); // a 10 MB line
          }
          out.write('\n');
          for (int i = 0; i < 3; i++) {
            out.write((parts.get(1).get(i) + "\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          out.flush();
          Thread.sleep(3000);
        } catch (Exception e) {
          // the test fails on its own assertions
        }
      });
      OperatorFrame.Builder f = nextTracked(src, 50);
      assertTrue(f.getHeadValid());
      assertEquals(5, src.refused(), "garbage, truncated, NaN, infinite and 10 MB lines refused");
      assertEquals(1, src.accepted(), "the good line after them is a frame");
      assertEquals(0, src.outages(), "bad lines do not drop the stream");
      t.interrupt();
    }
  }

  @Test
  void unmappableHierarchyIsOneLineNamingTheMissingJoint() throws Exception {
    List<List<String>> parts = BvhBroadcast.split(clip());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        MocapStreamPoseSource src = MocapStreamPoseSource.of("127.0.0.1:" + server.getLocalPort())) {
      Thread.ofPlatform().daemon().start(() -> {
        try (Socket c = server.accept()) {
          StringBuilder s = new StringBuilder();
          parts.get(0).forEach(l -> s.append(l.replace("LeftForeArm", "LeftLowerArmX")).append('\n'));
          c.getOutputStream().write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
          Thread.sleep(3000);
        } catch (Exception e) {
          // the test fails on its own assertions
        }
      });
      BvhException e = assertThrows(BvhException.class, () -> nextTracked(src, 50));
      assertTrue(e.getMessage().contains("LeftForeArm"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void badSpecIsAnInputError() {
    assertThrows(InputException.class, () -> MocapStreamPoseSource.of("localhost"));
    assertThrows(InputException.class, () -> MocapStreamPoseSource.of("localhost:0"));
    assertThrows(InputException.class, () -> MocapStreamPoseSource.of("localhost:http"));
  }
}
