package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeypointMotionTest {

  static KeypointMotion load(String file) {
    BvhClip clip = BvhParser.parse(SharedClips.clip(file), null);
    return KeypointMotion.from(clip, SkeletonMap.detect(file, clip.skeleton()));
  }

  @ParameterizedTest
  @ValueSource(strings = {SharedClips.WALK_MB, SharedClips.WALK_3DSMAX, SharedClips.PICKUP_ICLONE})
  void stageFrameFacesXWithFloorAtZero(String file) {
    KeypointMotion m = load(file);
    assertEquals(0, m.position(0, Keypoint.PELVIS, 0), 1e-9);
    assertEquals(0, m.position(0, Keypoint.PELVIS, 1), 1e-9);
    assertTrue(m.position(0, Keypoint.LEFT_HIP, 1) > m.position(0, Keypoint.RIGHT_HIP, 1) + 0.1, "left is +y");
    assertTrue(m.position(0, Keypoint.LEFT_SHOULDER, 1) > m.position(0, Keypoint.RIGHT_SHOULDER, 1) + 0.2);
    assertEquals(0, m.heading(0), 1e-9);
    for (int c = 0; c < 4; c++) {
      assertEquals(c == 0 ? 1 : 0, m.orientation(0, Keypoint.HEAD, c), 1e-9, "identity at frame 0");
    }
    double lowestAnkle = Double.POSITIVE_INFINITY;
    for (int f = 0; f < m.frameCount(); f++) {
      lowestAnkle = Math.min(lowestAnkle, Math.min(m.position(f, Keypoint.LEFT_ANKLE, 2),
          m.position(f, Keypoint.RIGHT_ANKLE, 2)));
    }
    assertTrue(lowestAnkle >= 0 && lowestAnkle < 0.2, "ankle above the floor, near it: " + lowestAnkle);
    FootContacts contacts = FootContacts.detect(m);
    int last = m.frameCount() - 1;
    System.out.printf("%s: pelvis end (%.2f, %.2f, %.2f) start z %.2f, heading end %.1f deg, contact L %.2f R %.2f,"
        + " lower arm %.3f upper arm %.3f thigh %.3f shin %.3f%n", file,
        m.position(last, Keypoint.PELVIS, 0), m.position(last, Keypoint.PELVIS, 1), m.position(last, Keypoint.PELVIS, 2),
        m.position(0, Keypoint.PELVIS, 2), Math.toDegrees(m.heading(last)), contacts.fraction(Keypoint.LEFT_ANKLE),
        contacts.fraction(Keypoint.RIGHT_ANKLE), m.segmentLength(Keypoint.LEFT_WRIST),
        m.segmentLength(Keypoint.LEFT_ELBOW), m.segmentLength(Keypoint.LEFT_KNEE),
        m.segmentLength(Keypoint.LEFT_ANKLE));
  }

  @ParameterizedTest
  @ValueSource(strings = {SharedClips.WALK_MB, SharedClips.WALK_3DSMAX})
  void walksForwardAlternatingFeet(String file) {
    KeypointMotion m = load(file);
    int last = m.frameCount() - 1;
    double forward = m.position(last, Keypoint.PELVIS, 0);
    double sideways = Math.abs(m.position(last, Keypoint.PELVIS, 1));
    assertTrue(forward > 1.0, "walked forward " + forward);
    assertTrue(sideways < 0.5 * forward, "mostly straight ahead: sideways " + sideways);
    FootContacts c = FootContacts.detect(m);
    for (Keypoint ankle : new Keypoint[] {Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE}) {
      assertTrue(c.fraction(ankle) > 0.15 && c.fraction(ankle) < 0.9, ankle + " planted " + c.fraction(ankle));
    }
    // Some frame has one foot planted and the other not (a step).
    boolean step = false;
    for (int f = 0; f < m.frameCount(); f++) {
      step |= c.left(f) != c.right(f);
    }
    assertTrue(step);
  }

  @Test
  void pickUpBendsAndLiftsAnArm() {
    KeypointMotion m = load(SharedClips.PICKUP_ICLONE);
    double pelvis0 = m.position(0, Keypoint.PELVIS, 2);
    double lowestPelvis = Double.POSITIVE_INFINITY;
    double lowestHead = Double.POSITIVE_INFINITY;
    boolean wristOverHead = false;
    for (int f = 0; f < m.frameCount(); f++) {
      lowestPelvis = Math.min(lowestPelvis, m.position(f, Keypoint.PELVIS, 2));
      lowestHead = Math.min(lowestHead, m.position(f, Keypoint.HEAD, 2));
      double head = m.position(f, Keypoint.HEAD, 2);
      wristOverHead |= m.position(f, Keypoint.LEFT_WRIST, 2) > head || m.position(f, Keypoint.RIGHT_WRIST, 2) > head;
    }
    System.out.printf("pickup: pelvis0 %.2f lowest pelvis %.2f lowest head %.2f head0 %.2f%n", pelvis0, lowestPelvis,
        lowestHead, m.position(0, Keypoint.HEAD, 2));
    assertTrue(lowestHead < 0.75 * m.position(0, Keypoint.HEAD, 2), "bends over");
    assertTrue(wristOverHead, "lifts an arm above the head");
    FootContacts c = FootContacts.detect(m);
    assertTrue(c.fraction(Keypoint.LEFT_ANKLE) > 0.6 && c.fraction(Keypoint.RIGHT_ANKLE) > 0.6,
        "stands: L " + c.fraction(Keypoint.LEFT_ANKLE) + " R " + c.fraction(Keypoint.RIGHT_ANKLE));
  }
}
