package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import org.junit.jupiter.api.Test;

/**
 * The hand-over itself in the physics world (grasp by contact and friction). Before: the taker came in
 * under the cube from below, but its arm put the palm-up hand 6-8 cm short of and beside the cube, the
 * giver's hook grip let the cube slip out past the thumb while it waited (or the taker's fingers knocked
 * it), and all of seeds 1-10 failed at the transfer (TAKE_VERIFY). Now the taker holds its palm out as
 * the giver lifts the cube, and the giver sets the cube down on the palm as it sees it.
 */
class HandoverTransferTest {
  /**
   * Physics seeds 3 and 5: the cube passes to the taker, which carries it to the area and lets it go there;
   * seed 5 is placed (before: both failed at TAKE_VERIFY).
   */
  @Test
  void theGiverSetsTheCubeOnTheTakersHeldOutPalm() {
    java.util.List<SteppedTaskRun.Episode> episodes = SteppedTaskRun.physics("handover", 3, 5);
    String log = SteppedTaskRun.log(episodes);
    // withdrawn from TIP: the taker held the cube after the giver let go, carried it and poured it out over the area
    assertEquals(2, episodes.stream().filter(e -> "TIP".equals(e.withdrewFrom()) && e.handsThatHeld() == 3).count(), log);
    assertEquals(1, episodes.stream().filter(e -> e.seed() == 5 && e.success()).count(), log);
  }

  @Test
  void theTakersPalmFacesUpAndPoursOffItsFingertips() {
    for (int hand = 0; hand < 2; hand++) {
      Quat take = HandoverPlanner.takeOrientation(hand);
      assertEquals(1, take.rotate(Vec3.UNIT_Z).z(), 1e-9, "palm flat up, hand " + hand);
      assertEquals(1, take.rotate(Vec3.UNIT_X).x(), 1e-9, "fingers forward, hand " + hand);
      Vec3 fingers = HandoverPlanner.tipped(hand).rotate(Vec3.UNIT_X);
      assertTrue(fingers.z() < -0.8, "tipped: the fingers point down, hand " + hand + ": " + fingers);
      assertEquals(0, fingers.y(), 1e-9, "and still straight ahead");
    }
  }
}
