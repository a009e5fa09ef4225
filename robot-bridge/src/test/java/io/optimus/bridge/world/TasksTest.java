package io.optimus.bridge.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.TaskState;
import org.junit.jupiter.api.Test;

/** The stack and handover tasks: layouts, success predicates, the kinematic handover. */
class TasksTest {
  static final double TABLE = 0.75;
  static final double DT = 0.004;
  final HandSample left = new HandSample("left_hand");
  final HandSample right = new HandSample("right_hand");

  /**
   * Shoulder (left, right) positions of optimus standing at home. Reach is judged sideways from them:
   * the whole-body IK leans and turns the waist to reach down to the table, but across the body the
   * scripted pick-and-place never goes further than its farthest target, {@link #CROSS_REACH} to the
   * side of the far shoulder.
   */
  static final double[][] SHOULDERS = new double[2][];
  static final double CROSS_REACH = 0.20 + 0.17;
  static final double TABLE_BRIDGE = 0.9;

  static {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    KinematicsData d = rig.kinematics().newData();
    System.arraycopy(rig.home(), 0, d.q, 0, d.q.length);
    rig.forwardStanding(d);
    for (int s = 0; s < 2; s++) {
      int shoulder = rig.model().linkIndex((s == 0 ? "left" : "right") + "_shoulder_pitch_link");
      SHOULDERS[s] = new double[] {d.linkPosition[3 * shoulder], d.linkPosition[3 * shoulder + 1], d.linkPosition[3 * shoulder + 2]};
    }
  }

  /** How far (m) to the side of hand {@code hand}'s shoulder a point at {@code y} lies. */
  static double sideways(int hand, double y) {
    return Math.abs(y - SHOULDERS[hand][1]);
  }

  void observe(TaskWorld w, double seconds) {
    for (int i = 0; i < Math.round(seconds / DT); i++) {
      w.observe(DT, left, right);
    }
  }

  @Test
  void layoutsAreDeterministicPerSeedAndWithinReach() {
    for (String task : TaskWorld.TASKS) {
      TaskState a = new TaskWorld("r", task, 7, TABLE).toProto();
      TaskState b = new TaskWorld("r", task, 7, TABLE).toProto();
      TaskState c = new TaskWorld("r", task, 8, TABLE).toProto();
      assertEquals(a.getObjectsList(), b.getObjectsList(), task + ": same seed, same layout");
      assertEquals(a.getTargetArea(), b.getTargetArea());
      assertNotEquals(a.getObjectsList(), c.getObjectsList(), task + ": another seed, another layout");
    }
    assertEquals(0.17, Math.abs(SHOULDERS[1][1]), 0.03, "the model's shoulders");
    for (long seed = 0; seed < 100; seed++) {
      TaskWorld stack = new TaskWorld("r", "stack", seed, TABLE_BRIDGE);
      WorldObject cube = stack.cube();
      WorldObject base = stack.object("base");
      assertNotNull(base);
      assertFalse(stack.success(), "seed " + seed + " starts solved");
      int hand = cube.position[1] >= 0 ? 0 : 1;
      for (WorldObject o : stack.objects()) {
        assertEquals(TABLE_BRIDGE + o.size[2] / 2, o.position[2], 1e-9, "on the table");
        assertTrue(o.size[0] >= 0.03 && o.size[0] <= 0.06 && o.mass >= 0.05 && o.mass <= 0.2, o.name);
        assertTrue(o.position[0] >= 0.29 && o.position[0] <= 0.42, "seed " + seed + ": " + o.name + " x in the pick-place range");
        assertTrue(sideways(hand, o.position[1]) <= 0.12, "seed " + seed + ": " + o.name + " before the shoulder on its side");
        assertEquals(Math.signum(cube.position[1]), Math.signum(o.position[1]), "both on one side");
      }
      assertNotEquals(cube.size[0], base.size[0], "two sizes");
      assertNotEquals(cube.mass, base.mass, "two masses");
      assertTrue(Math.hypot(cube.position[0] - base.position[0], cube.position[1] - base.position[1])
          >= StackTask.MIN_SEPARATION - 1e-9, "seed " + seed + ": apart");

      TaskWorld handover = new TaskWorld("r", "handover", seed, TABLE_BRIDGE);
      double[] c = handover.cube().position;
      double[] t = handover.targetCentre();
      int giver = c[1] >= 0 ? 0 : 1;
      assertTrue(sideways(giver, c[1]) <= 0.17, "seed " + seed + ": the cube before the giver's shoulder");
      assertTrue(sideways(1 - giver, c[1]) > CROSS_REACH + 0.05, "seed " + seed + ": beyond the taker's reach across the body");
      assertTrue(sideways(1 - giver, t[1]) <= 0.17, "seed " + seed + ": the target before the taker's shoulder");
      assertTrue(sideways(giver, t[1]) > CROSS_REACH + 0.05, "seed " + seed + ": beyond the giver's reach across the body");
      assertTrue(c[0] >= 0.28 && c[0] <= 0.36 && t[0] >= 0.28 && t[0] <= 0.36, "x within reach low on the table");
      assertFalse(handover.success());
    }
  }

  /** The stack world with the cube set on the base at offset (dx, dy), both at rest. */
  TaskWorld stacked(double dx, double dy) {
    TaskWorld w = new TaskWorld("r", "stack", 3, TABLE);
    WorldObject base = w.object("base");
    WorldObject cube = w.cube();
    cube.position[0] = base.position[0] + dx;
    cube.position[1] = base.position[1] + dy;
    cube.position[2] = base.position[2] + base.size[2] / 2 + cube.size[2] / 2;
    w.observe(DT, left, right); // the jump is no movement to judge rest by
    return w;
  }

  @Test
  void stackSucceedsOnlyWithTheCubeRestingCentredOnTheBaseHandsOpenForTheHoldTime() {
    TaskWorld w = stacked(0.01, -0.01);
    observe(w, StackTask.HOLD_S / 2);
    assertTrue(w.goalMet());
    assertFalse(w.success(), "not before the hold time");
    observe(w, StackTask.HOLD_S / 2 + 0.01);
    assertTrue(w.success(), "resting on the base, centred, hands open, held");
    assertTrue(w.toProto().getSuccess());

    TaskWorld off = stacked(0.03, 0); // beyond half the base's 5.5 cm edge
    observe(off, 1);
    assertFalse(off.success(), "off centre");

    TaskWorld tilted = stacked(0, 0);
    Rotations.quatMultiply(new double[] {Math.cos(0.15), Math.sin(0.15), 0, 0}, tilted.cube().orientation.clone(),
        tilted.cube().orientation);
    observe(tilted, 1);
    assertFalse(tilted.success(), "leaning 0.3 rad");

    TaskWorld grip = stacked(0, 0);
    left.set(0.2, 0.3, 1.1, 0.9); // a closed hand, even far away
    observe(grip, 1);
    assertFalse(grip.success(), "a hand still closed");
    left.set(0.2, 0.3, 1.1, 0);
    observe(grip, 1);
    assertTrue(grip.success(), "opened");

    TaskWorld moving = stacked(0, 0);
    moving.cube().velocity[0] = 0.03; // as a physics world reports a sliding cube
    observe(moving, 1);
    assertFalse(moving.success(), "sliding at 3 cm/s");
    moving.cube().velocity[0] = 0.005;
    observe(moving, 1);
    assertTrue(moving.success(), "creeping at 5 mm/s is at rest");

    TaskWorld floating = stacked(0, 0);
    floating.cube().position[2] += 0.02;
    floating.observe(DT, left, right);
    observe(floating, 1);
    assertFalse(floating.success(), "2 cm above the base");

    TaskWorld beside = new TaskWorld("r", "stack", 3, TABLE);
    observe(beside, 1);
    assertFalse(beside.success(), "the layout itself: cube beside the base");
  }

  /** Moves {@code h} in a straight line to (x, y, z) with the given closure over {@code seconds}, stepping the world. */
  void moveTo(TaskWorld w, HandSample h, double x, double y, double z, double closure, double seconds) {
    double[] p0 = h.position.clone();
    int n = (int) Math.ceil(seconds / DT);
    for (int i = 1; i <= n; i++) {
      double s = (double) i / n;
      h.set(p0[0] + s * (x - p0[0]), p0[1] + s * (y - p0[1]), p0[2] + s * (z - p0[2]), closure);
      w.step(DT, left, right);
    }
  }

  @Test
  void aKinematicHandoverSucceedsAndOneHandAloneDoesNot() {
    for (boolean handOver : new boolean[] {true, false}) {
      TaskWorld w = new TaskWorld("r", "handover", 5, TABLE);
      double[] c = w.cube().position.clone();
      double[] t = w.targetCentre();
      HandSample giver = c[1] >= 0 ? left : right;
      HandSample taker = giver == left ? right : left;
      giver.set(0.2, c[1], 1.0, 0);
      taker.set(0.2, -c[1], 1.0, 0);
      moveTo(w, giver, c[0], c[1], c[2], 0, 0.5);
      moveTo(w, giver, c[0], c[1], c[2], 1, 0.1);
      assertTrue(w.cube().held());
      moveTo(w, giver, 0.4, 0, 0.9, 1, 0.5);
      double[] m = w.cube().position.clone();
      double side = Math.signum(t[1]);
      HandSample placer = giver;
      if (handOver) {
        moveTo(w, taker, m[0], m[1] + side * 0.05, m[2], 0, 0.5);
        moveTo(w, taker, m[0], m[1] + side * 0.05, m[2], 1, 0.1);
        assertEquals(taker.name, w.toProto().getObjects(0).getHeldBy(), "taken");
        moveTo(w, giver, 0.4, 0, 0.9, 0, 0.1);
        assertTrue(w.cube().held(), "still in the taker's hand after the giver opened");
        moveTo(w, giver, 0.2, -side * 0.3, 1.0, 0, 0.3);
        placer = taker;
      }
      double[] off = {w.cube().position[0] - placer.position[0], w.cube().position[1] - placer.position[1],
          w.cube().position[2] - placer.position[2]};
      moveTo(w, placer, t[0] - off[0], t[1] - off[1], TABLE + w.cube().size[2] / 2 + 0.005 - off[2], 1, 0.8);
      moveTo(w, placer, placer.position[0], placer.position[1], placer.position[2], 0, 0.1);
      moveTo(w, placer, placer.position[0], placer.position[1], 1.0, 0, 0.5);
      assertTrue(w.insideTarget(w.cube()) && w.restsOnTable(w.cube()) && !w.cube().held());
      if (handOver) {
        assertEquals(3, w.handsThatHeld(w.cube()), "both hands held it");
        assertTrue(w.success(), "handed over and placed");
      } else {
        assertEquals(giver == left ? 1 : 2, w.handsThatHeld(w.cube()), "only the giver held it");
        assertFalse(w.success(), "placed by one hand alone is no handover");
      }
    }
  }

  @Test
  void releasedOntoAnotherObjectItRestsOnIt() {
    TaskWorld w = new TaskWorld("r", "stack", 3, TABLE);
    WorldObject base = w.object("base");
    double[] c = w.cube().position.clone();
    right.set(c[0], c[1], c[2], 0);
    moveTo(w, right, c[0], c[1], c[2], 1, 0.1);
    moveTo(w, right, base.position[0], base.position[1], 1.0, 1, 0.5);
    moveTo(w, right, base.position[0], base.position[1], 1.0, 0, 0.1); // let go 15 cm above the base
    moveTo(w, right, base.position[0], base.position[1], 1.1, 0, 0.6);
    assertEquals(base.position[2] + base.size[2] / 2 + w.cube().size[2] / 2, w.cube().position[2], 1e-9);
    assertTrue(w.success(), "dropped onto the base, it stays there");
  }

  @Test
  void anUnknownTaskIsAOneLineError() {
    InputException e = assertThrows(InputException.class, () -> new TaskWorld("r", "juggle", 1, TABLE));
    assertEquals("task 'juggle' is unknown: expected one of [pick-place, stack, handover]", e.getMessage());
    assertThrows(InputException.class, () -> TaskWorld.checkTask(null));
  }
}
