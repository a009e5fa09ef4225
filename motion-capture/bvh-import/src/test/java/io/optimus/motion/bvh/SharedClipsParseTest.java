package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SharedClipsParseTest {

  @ParameterizedTest
  @CsvSource({
      SharedClips.WALK_MB + ", 31, 96, 343, 120, CMU, cmu_motionbuilder",
      SharedClips.WALK_3DSMAX + ", 31, 96, 994, 120, CMU, max_3ds",
      SharedClips.PICKUP_ICLONE + ", 100, 303, 1118, 60, CM, iclone_cc_base"})
  void parsesRealClipAndInfersUnits(String file, int joints, int channels, int frames, double fps, LengthUnit unit,
      String convention) {
    BvhClip clip = BvhParser.parse(SharedClips.clip(file), null);
    assertEquals(joints, clip.skeleton().jointCount());
    assertEquals(channels, clip.skeleton().channelCount());
    assertEquals(frames, clip.frameCount());
    assertEquals(fps, clip.fps(), 0.05);
    assertEquals(unit, clip.unit(), "inferred unit, height " + clip.heightMetres());
    assertTrue(clip.unitInferred());
    assertTrue(clip.spanMetres() > 1.8 && clip.spanMetres() < 2.8, "span " + clip.spanMetres());
    assertTrue(clip.heightMetres() > 1.3 && clip.heightMetres() < 2.3, "height " + clip.heightMetres());
    SkeletonMap map = SkeletonMap.detect(file, clip.skeleton());
    assertEquals(convention, map.source());

    // Standing human, z up: head above the pelvis above the knees above the ankles, ankles near the floor.
    BvhPose pose = new BvhPose(clip).setFrame(0);
    double head = pose.position(map.joint(Keypoint.HEAD).index(), 2);
    double pelvis = pose.position(map.joint(Keypoint.PELVIS).index(), 2);
    double knee = pose.position(map.joint(Keypoint.LEFT_KNEE).index(), 2);
    double ankle = pose.position(map.joint(Keypoint.LEFT_ANKLE).index(), 2);
    double floor = Double.POSITIVE_INFINITY;
    for (int j = 0; j < clip.skeleton().jointCount(); j++) {
      floor = Math.min(floor, pose.position(j, 2));
    }
    System.out.printf("%s: span %.3f m height %.3f m, unit %s, head %.3f pelvis %.3f knee %.3f ankle %.3f floor %.3f%n",
        file, clip.spanMetres(), clip.heightMetres(), clip.unit(), head, pelvis, knee, ankle, floor);
    assertTrue(head > pelvis && pelvis > knee && knee > ankle, "body order");
    assertTrue(ankle - floor < 0.2, "ankle near the lowest joint");
    // Segment lengths are those of an adult (thigh 0.3-0.55 m).
    double thigh = distance(pose, map.joint(Keypoint.LEFT_HIP).index(), map.joint(Keypoint.LEFT_KNEE).index());
    assertTrue(thigh > 0.3 && thigh < 0.55, "thigh " + thigh);
  }

  static double distance(BvhPose pose, int a, int b) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      double d = pose.position(a, k) - pose.position(b, k);
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
