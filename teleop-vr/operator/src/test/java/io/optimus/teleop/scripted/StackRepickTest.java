package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Picking the stack's cube up again after it was lost over the base. The tipped hook loses the 4 cm cube while
 * lining it up or lowering it over the base (a crooked hold: the cube does not turn with the hand as its fingers
 * tip up, and slips out); it often lands on the table just outside pick-and-place's region for a second pick (at
 * the table's front edge, x 0.225, or out to the side, |y| 0.30-0.32). The stack picks it up again from there
 * ({@link StackPlanner#REPICK_MIN_X}, {@link StackPlanner#REPICK_MAX_Y}), up to {@link StackPlanner#REPICKS} times.
 */
class StackRepickTest {
  /**
   * Stack seed 24 in physics (after contact ERP 0.05 and 40 solver iterations, session 36): the cube is lost in the
   * carry and lands at the table's front edge (x 0.237), is picked up again from there, falls off the base and is
   * picked up a third time and stacked; with pick-and-place's region and 2 second picks it fails at carry. The only
   * such seed found in 1-50 now (28 fails at place; the other successes traced that pick again do it from inside
   * pick-and-place's region).
   */
  @Test
  void aCubeLostOverTheBaseAtTheTablesEdgeIsPickedUpAgainAndStacked() {
    java.util.List<SteppedTaskRun.Episode> episodes = SteppedTaskRun.physics("stack", 24);
    assertEquals(1, episodes.stream().filter(e -> e.success()).count(), SteppedTaskRun.log(episodes));
  }

  @Test
  void theRepickRegionIsBounded() {
    PickPlacePlanner p = new PickPlacePlanner(1, 1, false, null);
    p.repicks(PickPlacePlanner.MAX_REPICKS, PickPlacePlanner.REPICK_MIN_X, PickPlacePlanner.REPICK_MAX_Y); // the defaults
    assertThrows(IllegalArgumentException.class, () -> p.repicks(2, 0.1, 0.28)); // off the table's front edge
    assertThrows(IllegalArgumentException.class, () -> p.repicks(2, 0.24, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> p.repicks(-1, 0.24, 0.28));
  }
}
