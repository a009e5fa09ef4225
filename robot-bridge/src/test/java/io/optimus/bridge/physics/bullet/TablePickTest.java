package io.optimus.bridge.physics.bullet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.retarget.HandSide;
import org.junit.jupiter.api.Test;

/**
 * The optimus hand picks a 5 cm, 100 g cube resting on the bridge's table (top at 0.9 m) by contact
 * and friction: palm down, fingers tilted down, the palm just onto the cube's top a little behind it;
 * closing, the fingers hook its far edge and drag it back along the table under the palm against the
 * thumb, and it comes up with the hand. Layouts are the pick-place task's ({@link TaskWorld#reset}).
 * A hand closed 2 cm beside the cube lifts nothing.
 */
class TablePickTest {
  /** The grasp the scripted operator uses (teleop-vr's {@code PickPlacePlanner.CUBE_IN_PALM}, {@code GRASP_PITCH}). */
  static final TablePick.Approach GRASP = new TablePick.Approach(Math.PI, 0.67, 0.062, 0.010, 0.010, 0.45);

  @Test
  void cubesRestingOnTheTableAreLiftedTenCentimetresAndHeldForASecond() {
    int lifted = 0;
    StringBuilder log = new StringBuilder();
    long[] seeds = {1, 2, 3, 4, 5, 6}; // seeds 1-12 all lift (measured 2026-12-06)
    for (long seed : seeds) {
      TaskWorld layout = new TaskWorld("r", "pick-place", seed, TablePick.TABLE_TOP);
      double[] c = layout.cube().position;
      double yaw = Rotations.quatYaw(layout.cube().orientation);
      TablePick pick = new TablePick(c[1] >= 0 ? HandSide.LEFT : HandSide.RIGHT);
      try {
        TablePick.Result r = pick.pick(c[0], c[1], yaw, GRASP, 0, 0);
        lifted += r.lifted(0.10) ? 1 : 0;
        log.append(String.format(java.util.Locale.ROOT, "seed %d cube (%.3f, %.3f) yaw %.2f: %s%n", seed, c[0], c[1], yaw,
            r.trace()));
      } finally {
        pick.close();
      }
    }
    assertTrue(lifted == seeds.length, lifted + " of " + seeds.length + " lifted:\n" + log);
  }

  /**
   * A half-closed pinch (fingers pitched 0.4 rad, the cube 7 cm along them, trigger 0.45): studied for
   * the stack task, not used by its planner (with 4 mm aim errors it lifted 1 of 6 layouts; in the
   * scripted chain 0 of 6, see benchmarks/scripted-tasks.md).
   */
  static final TablePick.Approach PINCH = new TablePick.Approach(Math.PI, 0.4, 0.070, 0.010, 0.008, 0.9, 0.45);
  /** {@link #GRASP} closing over 0.9 s, as the scripted operator closes it. */
  static final TablePick.Approach HOOK = new TablePick.Approach(Math.PI, 0.67, 0.062, 0.010, 0.010, 0.9);

  /**
   * Why scripted stacking fails in physics: the stack's 4 cm, 60 g cube, hooked as pick-and-place does
   * (fingers closed fully round its far edge; it does not always take: it did not on seed 4's layout before
   * session 36's contact ERP), comes up with the fingers 1.5 cm or more under its bottom (3.2-3.5 cm), where they
   * land on the base before the cube does; pinched half closed it comes up (the palm placed exactly) with
   * them within 12 mm of its bottom edge (8 mm with contact ERP 0.2, 10 mm with 0.05).
   */
  @Test
  void theHookHangsTheFingersUnderTheStackCubeAHalfClosedPinchDoesNot() {
    StringBuilder log = new StringBuilder();
    boolean ok = true;
    int hooked = 0;
    for (long seed : new long[] {3, 4}) {
      TaskWorld layout = new TaskWorld("r", "stack", seed, TablePick.TABLE_TOP);
      double[] c = layout.cube().position;
      double yaw = Rotations.quatYaw(layout.cube().orientation);
      for (TablePick.Approach a : new TablePick.Approach[] {HOOK, PINCH}) {
        TablePick pick = new TablePick(c[1] >= 0 ? HandSide.LEFT : HandSide.RIGHT, 0.04, 0.06);
        try {
          TablePick.Result r = pick.pick(c[0], c[1], yaw, a, 0, 0);
          log.append(String.format(java.util.Locale.ROOT, "seed %d %s: %s%n", seed, a == PINCH ? "pinch" : "hook",
              r.trace()));
          if (a == PINCH) {
            ok &= r.lifted(0.10) && r.fingersBelow() <= 0.012;
          } else if (r.lifted(0.10)) { // the hook is marginal on the small cube (seed 4 lifts since session 36's contact ERP)
            hooked++;
            ok &= r.fingersBelow() >= 0.015;
          }
        } finally {
          pick.close();
        }
      }
    }
    assertTrue(ok && hooked >= 1, log.toString());
  }

  /**
   * Issue #20's stack failure, on its own: the 4 cm, 60 g cube hooked and lifted, the fingers tipped up
   * 0.5 rad (the stack's carry), then the hand held still for 3 s. Squeezed by saturated finger drives,
   * the cube crept 1.6-7 mm in those 3 s with the solver's earlier settings (20 iterations, contact ERP
   * 0.2; seeds 1, 2, 3, 5: 6.9, 7.0, 2.5, 1.6 mm) and, in the stack's episode 39, crept on until it was
   * squeezed out at 0.7 m/s; now it stays within a millimetre ({@link BulletWorld#CONTACT_ERP}).
   */
  @Test
  void aHookedCubeStaysPutInAStillHand() {
    StringBuilder log = new StringBuilder();
    boolean ok = true;
    for (long seed : new long[] {1, 2, 3, 5}) {
      TaskWorld layout = new TaskWorld("r", "stack", seed, TablePick.TABLE_TOP);
      double[] c = layout.cube().position;
      TablePick pick = new TablePick(c[1] >= 0 ? HandSide.LEFT : HandSide.RIGHT, 0.04, 0.06);
      try {
        TablePick.Result r = pick.pick(c[0], c[1], Rotations.quatYaw(layout.cube().orientation), HOOK, 0, 0);
        double[] held = r.lifted(0.10) ? pick.holdTipped(0.5, 3.0) : null;
        log.append(held == null ? String.format(java.util.Locale.ROOT, "seed %d: not lifted: %s%n", seed, r.trace())
            : String.format(java.util.Locale.ROOT, "seed %d: moved %.1f mm in the hand, top speed %.3f m/s%n", seed,
                held[0] * 1e3, held[1]));
        ok &= held != null && held[0] < 0.001 && held[1] < 0.02;
      } finally {
        pick.close();
      }
    }
    assertTrue(ok, log.toString());
  }

  @Test
  void aHandClosedTwoCentimetresBesideTheCubeLiftsNothing() {
    TablePick pick = new TablePick(HandSide.LEFT);
    try {
      // the little finger's outer side (y -0.036 in the palm frame) 2 cm clear of the cube's face
      double shift = 0.036 + 0.02 + TablePick.EDGE / 2 + GRASP.side();
      TablePick.Result r = pick.pick(0.36, 0.12, 0, GRASP, 0, -shift);
      assertTrue(r.finalRise() < 0.01, "a hand closed beside the cube lifted it: " + r.trace());
    } finally {
      pick.close();
    }
  }

  /**
   * A hand carries a cube across the body at table height (pick-and-place targets lie across the
   * midline): the left palm reaches 15 cm past the midline, 30 cm out, 7 cm over the table, to within
   * a centimetre (measured: under 1 mm). With the 30 cm round torso capsule the model had, the upper arm
   * ran into the chest 15 cm out in front and the palm stayed 2.7 cm off (and the bridge's whole-body
   * IK, bringing the elbow in, stopped short of the midline).
   */
  @Test
  void aHandReachesAcrossTheBodyAtTableHeight() {
    TablePick pick = new TablePick(HandSide.LEFT);
    try {
      double error = pick.reach(new io.optimus.motion.geometry.Vec3(0.30, -0.15, TablePick.TABLE_TOP + 0.07));
      assertTrue(error < 0.01, "the palm ended " + error + " m from a point across the body");
    } finally {
      pick.close();
    }
  }
}
