package io.optimus.teleop.source;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.common.InputException;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import io.optimus.teleop.OperatorStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The non-OpenXR sources: valid frames, at their rate, and clear errors on bad input. */
class PoseSourcesTest {
  @TempDir Path tmp;

  static List<OperatorFrame> take(PoseSource source, int n) throws Exception {
    List<OperatorFrame> out = new ArrayList<>();
    OperatorStream stream = new OperatorStream(source, "op");
    for (int i = 0; i < n; i++) {
      Optional<OperatorFrame> f = stream.next(); // checks every value is finite
      if (f.isEmpty()) {
        break;
      }
      out.add(f.get());
    }
    return out;
  }

  /** Never faster than the rate; typically exactly at it (a stalled JVM skips ticks rather than bursting). */
  static void assertPaced(List<OperatorFrame> frames, long periodNs, long elapsedNs) {
    long[] dts = new long[frames.size() - 1];
    for (int i = 1; i < frames.size(); i++) {
      dts[i - 1] = frames.get(i).getCaptureTime().getMonotonicNs() - frames.get(i - 1).getCaptureTime().getMonotonicNs();
      assertTrue(dts[i - 1] >= periodNs - 2, "frame " + i + " came early: " + dts[i - 1] + " ns");
    }
    java.util.Arrays.sort(dts);
    assertEquals(periodNs, dts[dts.length / 2], 2, "median capture interval");
    assertTrue(elapsedNs >= (frames.size() - 2) * periodNs, "frames came faster than the rate: " + elapsedNs);
  }

  @Test
  void bvhClipPlaysAsAStandingOperatorAtRate() throws Exception {
    Path clip = io.optimus.motion.testing.SharedData.mocapClip(io.optimus.motion.testing.SharedData.CMU_WALK);
    BvhPoseSource src = new BvhPoseSource(clip, 90);
    long start = System.nanoTime();
    List<OperatorFrame> frames = take(src, 50);
    long elapsed = System.nanoTime() - start;
    assertEquals(50, frames.size());
    assertPaced(frames, Math.round(1e9 / 90), elapsed);
    // the lead-in: the first pose, deadman released, then pressed for the rest of the clip
    long t0 = frames.get(0).getCaptureTime().getMonotonicNs();
    int pressedAt = -1;
    for (int i = 0; i < frames.size(); i++) {
      OperatorFrame f = frames.get(i);
      boolean leadIn = f.getCaptureTime().getMonotonicNs() - t0 < DeadmanLeadIn.NANOS;
      assertEquals(!leadIn, f.getCommands().getDeadman(), "frame " + i + ": deadman released only in the lead-in");
      if (leadIn) {
        assertEquals(frames.get(0).getLeft().getGripPose(), f.getLeft().getGripPose(), "standing still in the lead-in");
      } else if (pressedAt < 0) {
        pressedAt = i;
      }
    }
    assertTrue(pressedAt > 0, "a lead-in, then the press: pressed at frame " + pressedAt);
    for (OperatorFrame f : frames) {
      assertTrue(f.getHeadValid());
      double headZ = f.getHead().getPosition().getZ();
      assertTrue(headZ > 1.2 && headZ < 2.1, "head height of a standing human, z up: " + headZ);
      double lz = f.getLeft().getGripPose().getPosition().getZ();
      assertTrue(lz > 0.5 && lz < headZ, "wrist below the head: " + lz);
      assertTrue(f.getLeft().getGripPose().getPosition().getY() > f.getRight().getGripPose().getPosition().getY(),
          "the left wrist is to the left (+y) of the right one in the operator frame");
      assertEquals("bvh:cmu_02_01_walk__mb.bvh", f.getSource());
    }
  }

  @Test
  void malformedBvhIsAnInputErrorNamingTheFile() throws Exception {
    Path bad = tmp.resolve("broken.bvh");
    Files.writeString(bad, "HIERARCHY\nROOT Hips\n{\n OFFSET 0 0\n");
    InputException e = assertThrows(InputException.class, () -> new BvhPoseSource(bad, 90));
    assertTrue(e.getMessage().contains("broken.bvh"), e.getMessage());
  }

  static OperatorFrame recorded(int i, long t0) {
    Pose p = Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.3 + 0.01 * i).setY(0.2).setZ(1.1))
        .setOrientation(Quaternion.newBuilder().setW(1)).build();
    return OperatorFrame.newBuilder().setSchemaVersion(1).setOperatorId("alice").setSource("openxr").setSequence(i + 1)
        .setCaptureTime(Timestamp.newBuilder().setMonotonicNs(t0 + i * 11_111_111L).setWallNs(1))
        .setHead(Pose.newBuilder().setPosition(Vector3.newBuilder().setZ(1.6)).setOrientation(Quaternion.newBuilder().setW(1)))
        .setHeadValid(true)
        .setRight(HandInput.newBuilder().setGripPose(p).setGripValid(true).setSqueeze(1f).setTrigger(0.02f * i))
        .setCommands(OperatorCommands.newBuilder().setDeadman(true)).build();
  }

  @Test
  void replayResendsTheRecordedOperatorStreamWithItsTiming() throws Exception {
    Path episode = tmp.resolve("episode.mcap");
    long t0 = 5_000_000_000L;
    try (EpisodeWriter w = EpisodeWriter.start(episode,
        EpisodeHeader.newBuilder().setEpisodeId("e1").setRobotId("r1").setTask("pick-place").build())) {
      for (int i = 0; i < 45; i++) {
        assertTrue(w.writeOperator(recorded(i, t0)));
      }
    }
    ReplayPoseSource src = new ReplayPoseSource(episode);
    assertEquals(45, src.frameCount());
    // the recording holds the deadman from its first frame: 0.3 s of it released first (27 frames at 90 Hz)
    int leadIn = src.totalFrames() - 45;
    assertEquals(27, leadIn);
    long start = System.nanoTime();
    List<OperatorFrame> frames = take(src, 200);
    long elapsed = System.nanoTime() - start;
    assertEquals(45 + leadIn, frames.size(), "ends after the last recorded frame");
    assertPaced(frames, 11_111_111L, elapsed);
    for (int i = 0; i < leadIn; i++) {
      OperatorFrame f = frames.get(i);
      assertFalse(f.getCommands().getDeadman(), "lead-in frame " + i + " releases the deadman");
      assertEquals(0f, f.getRight().getSqueeze());
      assertEquals(recorded(0, t0).getRight().getGripPose(), f.getRight().getGripPose(), "standing at the first pose");
    }
    for (int i = 0; i < 45; i++) {
      OperatorFrame r = recorded(i, t0);
      OperatorFrame f = frames.get(leadIn + i);
      assertEquals(r.getRight().getGripPose(), f.getRight().getGripPose());
      assertEquals(r.getRight().getTrigger(), f.getRight().getTrigger());
      assertEquals("replay:episode.mcap", f.getSource());
      assertEquals("op", f.getOperatorId());
      assertTrue(f.getCommands().getDeadman(), "the deadman is derived again from the replayed squeeze");
      assertTrue(f.getCaptureTime().getMonotonicNs() >= start, "fresh capture stamps");
    }
  }

  @Test
  void replayRefusesMissingAndNonEpisodeFiles() throws Exception {
    InputException missing = assertThrows(InputException.class, () -> new ReplayPoseSource(tmp.resolve("nope.mcap")));
    assertTrue(missing.getMessage().contains("nope.mcap"));
    Path garbage = tmp.resolve("garbage.mcap");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
    InputException e = assertThrows(InputException.class, () -> new ReplayPoseSource(garbage));
    assertTrue(e.getMessage().contains("garbage.mcap"), e.getMessage());
  }
}
