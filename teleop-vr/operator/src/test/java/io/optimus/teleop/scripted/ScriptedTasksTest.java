package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.RobotProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted stack and handover through the real pipeline in stepped time (the kinematic world), pick-and-place in physics. */
class ScriptedTasksTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final RobotProfile PROFILE = RobotProfile.detect(RIG.model());

  static List<SteppedTaskRun.Episode> runs(String task, long first, int seeds) {
    List<SteppedTaskRun.Episode> out = new ArrayList<>();
    String list = System.getProperty("scripted.list"); // e.g. 3,18,22: just these seeds
    List<Long> which = new ArrayList<>();
    if (list != null) {
      for (String v : list.split(",")) {
        which.add(Long.parseLong(v.trim()));
      }
    } else {
      for (long s = first; s < first + seeds; s++) {
        which.add(s);
      }
    }
    for (long s : which) {
      SteppedTaskRun.Episode e = SteppedTaskRun.run(RIG, PROFILE, task, s, 45);
      System.out.println(e);
      out.add(e);
    }
    return out;
  }

  @Test
  void scriptedStackSucceeds() {
    List<SteppedTaskRun.Episode> runs = runs("stack", Long.getLong("scripted.first", 1), Integer.getInteger("scripted.seeds", 4));
    long ok = runs.stream().filter(SteppedTaskRun.Episode::success).count();
    assertTrue(ok >= runs.size() - 1, ok + " of " + runs.size() + " stacked");
  }

  @Test
  void scriptedHandoverSucceeds() {
    List<SteppedTaskRun.Episode> runs = runs("handover", Long.getLong("scripted.first", 1), Integer.getInteger("scripted.seeds", 4));
    long ok = runs.stream().filter(SteppedTaskRun.Episode::success).count();
    for (SteppedTaskRun.Episode e : runs) {
      if (e.success()) {
        assertEquals(3, e.handsThatHeld(), "both hands held the cube: " + e);
      }
    }
    assertTrue(ok >= runs.size() - 1, ok + " of " + runs.size() + " handed over");
  }

  /**
   * Seeds where the taker used to come in beside the cube and the self-collision guard (1 cm between
   * the hands, and between the taker's arm and the torso) refused its last centimetres: the planner
   * before the take from below failed all four at TAKE_VERIFY (33 of 50 seeds with the two-capsule torso).
   */
  @Test
  void handoverSeedsTheGuardUsedToRefuseSucceed() {
    int ok = 0;
    StringBuilder seen = new StringBuilder();
    for (long s : new long[] {3, 9, 10, 14}) {
      SteppedTaskRun.Episode e = SteppedTaskRun.run(RIG, PROFILE, "handover", s, 45);
      seen.append(e).append('\n');
      ok += e.success() && e.handsThatHeld() == 3 ? 1 : 0;
    }
    assertTrue(ok >= 3, ok + " of 4 handed over:\n" + seen);
  }

  /**
   * Pick-and-place in the physics world (grasp by contact and friction): the carried cube is lined up
   * over the area and lowered straight down, the hand opens slowly and leaves the cube the way the back
   * of the hand faces. Seeds 1-5 (before: 3 of them; the cube came down at a slant, was flung out of the
   * opening hand or dragged off by the withdrawing fingers, or the arm ran into the chest reaching across).
   */
  @Test
  void scriptedPickPlaceSucceedsInPhysics() {
    int ok = 0;
    StringBuilder log = new StringBuilder();
    for (long s = 1; s <= 5; s++) {
      SteppedTaskRun.Episode e = SteppedTaskRun.run(RIG, PROFILE, "pick-place", s, 45, true);
      ok += e.success() ? 1 : 0;
      log.append(e).append('\n');
    }
    assertTrue(ok >= 4, ok + " of 5 placed:\n" + log);
  }

  @Test
  void anUnknownScriptedTaskIsAOneLineError() {
    var e = assertThrows(io.optimus.common.InputException.class, () -> ScriptedOperator.forTask("juggle", () -> null,
        RobotToOperator.identity(), 1, 1, false, 90, null));
    assertEquals("scripted task 'juggle' is unknown: expected one of [pick-place, stack, handover]", e.getMessage());
    assertEquals("scripted:handover", ScriptedOperator.forTask("handover", () -> null, RobotToOperator.identity(), 1, 1,
        false, 90, null).name());
  }
}
