package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkeletonMapTest {
  /** A tiny skeleton with non-standard names: the kind a user map file is for. */
  private static final String CUSTOM = String.join("\n",
      "HIERARCHY", "ROOT root", "{", "OFFSET 0 100 0", "CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation",
      "JOINT thighL", "{", "OFFSET 10 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT shinL", "{", "OFFSET 0 -45 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT footL", "{", "OFFSET 0 -45 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "End Site", "{", "OFFSET 0 -5 10", "}", "}", "}", "}",
      "JOINT thighR", "{", "OFFSET -10 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT shinR", "{", "OFFSET 0 -45 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT footR", "{", "OFFSET 0 -45 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "End Site", "{", "OFFSET 0 -5 10", "}", "}", "}", "}",
      "JOINT chest", "{", "OFFSET 0 50 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT skull", "{", "OFFSET 0 20 0", "CHANNELS 3 Zrotation Yrotation Xrotation", "End Site", "{", "OFFSET 0 20 0", "}", "}",
      "JOINT armL", "{", "OFFSET 20 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT foreL", "{", "OFFSET 30 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT handL", "{", "OFFSET 25 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "End Site", "{", "OFFSET 10 0 0", "}", "}", "}", "}",
      "JOINT armR", "{", "OFFSET -20 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT foreR", "{", "OFFSET -30 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "JOINT handR", "{", "OFFSET -25 0 0", "CHANNELS 3 Zrotation Yrotation Xrotation",
      "End Site", "{", "OFFSET -10 0 0", "}", "}", "}", "}",
      "}", "}",
      "MOTION", "Frames: 1", "Frame Time: 0.01",
      "0 0 0 0 0 0" + " 0 0 0".repeat(14), "");

  private static final String MAP = """
      {"pelvis": "root", "head": "skull", "left_shoulder": "armL", "right_shoulder": "armR",
       "left_elbow": "foreL", "right_elbow": "foreR", "left_wrist": "handL", "right_wrist": "handR",
       "left_knee": "shinL", "right_knee": "shinR", "left_ankle": "footL", "right_ankle": "footR"}
      """;

  @Test
  void detectsEachSharedConvention() {
    assertEquals("cmu_motionbuilder", map(SharedClips.WALK_MB).source());
    assertEquals("max_3ds", map(SharedClips.WALK_3DSMAX).source());
    SkeletonMap iclone = map(SharedClips.PICKUP_ICLONE);
    assertEquals("iclone_cc_base", iclone.source());
    assertEquals("CC_Base_L_Hand", iclone.joint(Keypoint.LEFT_WRIST).name());
    assertEquals("LeftElbow", map(SharedClips.WALK_3DSMAX).joint(Keypoint.LEFT_ELBOW).name());
    assertEquals("LeftForeArm", map(SharedClips.WALK_MB).joint(Keypoint.LEFT_ELBOW).name());
  }

  private static SkeletonMap map(String file) {
    BvhClip clip = BvhParser.parse(SharedClips.clip(file), null);
    return SkeletonMap.detect(file, clip.skeleton());
  }

  @Test
  void unknownNamesAreRejectedWithAHint() {
    BvhClip clip = BvhParser.parse("custom.bvh", CUSTOM, LengthUnit.CM);
    BvhException e = assertThrows(BvhException.class, () -> SkeletonMap.detect("custom.bvh", clip.skeleton()));
    assertTrue(e.getMessage().startsWith("custom.bvh: unknown skeleton convention"), e.getMessage());
    assertTrue(e.getMessage().contains("skeleton map file"), e.getMessage());
  }

  @Test
  void userMapFileResolvesKeypointsAndDerivesHips(@TempDir Path dir) throws Exception {
    BvhClip clip = BvhParser.parse("custom.bvh", CUSTOM, LengthUnit.CM);
    Path file = dir.resolve("custom-map.json");
    Files.writeString(file, MAP);
    SkeletonMap m = SkeletonMap.fromFile(file, clip.skeleton());
    assertEquals("file:custom-map.json", m.source());
    assertEquals("handL", m.joint(Keypoint.LEFT_WRIST).name());
    assertEquals("thighL", m.joint(Keypoint.LEFT_HIP).name(), "hip = the knee's parent");
    assertEquals("thighR", m.joint(Keypoint.RIGHT_HIP).name());
    // The T-pose skeleton, cm: wrists 0.75 m out to the sides, head 0.7 m over the pelvis.
    KeypointMotion motion = KeypointMotion.from(clip, m);
    assertEquals(0.75, motion.position(0, Keypoint.LEFT_WRIST, 1), 1e-9);
    assertEquals(-0.75, motion.position(0, Keypoint.RIGHT_WRIST, 1), 1e-9);
    assertEquals(0.70, motion.position(0, Keypoint.HEAD, 2) - motion.position(0, Keypoint.PELVIS, 2), 1e-9);
    assertEquals(0.45, motion.segmentLength(Keypoint.LEFT_KNEE), 1e-9);
  }

  @Test
  void badMapFilesNameTheProblem(@TempDir Path dir) throws Exception {
    BvhClip clip = BvhParser.parse("custom.bvh", CUSTOM, LengthUnit.CM);
    assertMapError(dir, "{\"pelvis\": \"root\",", "bad.json:1: not valid JSON");
    assertMapError(dir, "[1, 2]", "must be a JSON object");
    assertMapError(dir, MAP.replace("\"head\"", "\"nose\""), "unknown keypoint 'nose'");
    assertMapError(dir, MAP.replace("\"skull\"", "\"Skull2\""), "names joint 'Skull2', which the skeleton does not have");
    assertMapError(dir, MAP.replace("\"head\": \"skull\",", ""), "lacks keypoint 'head'");
    assertMapError(dir, MAP.replace("\"skull\"", "3"), "must map to a joint name");
    BvhException missing = assertThrows(BvhException.class,
        () -> SkeletonMap.fromFile(dir.resolve("absent.json"), clip.skeleton()));
    assertTrue(missing.getMessage().contains("no such skeleton map file"));
  }

  private static void assertMapError(Path dir, String json, String expected) throws Exception {
    BvhClip clip = BvhParser.parse("custom.bvh", CUSTOM, LengthUnit.CM);
    Path file = dir.resolve("bad.json");
    Files.writeString(file, json);
    BvhException e = assertThrows(BvhException.class, () -> SkeletonMap.fromFile(file, clip.skeleton()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith("bad.json"), e.getMessage());
  }
}
