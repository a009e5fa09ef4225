package io.optimus.bridge.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.proto.v1.TaskState;
import org.junit.jupiter.api.Test;

class TaskWorldTest {
  static final double DT = 0.004;
  final TaskWorld world = new TaskWorld("r1", "pick-place", 11, 0.9);
  final HandSample left = new HandSample("left");
  final HandSample right = new HandSample("right");

  /** Moves the right hand in a straight line to (x, y, z) over {@code seconds} with the given closure. */
  void moveTo(double x, double y, double z, double closure, double seconds) {
    double x0 = right.position[0];
    double y0 = right.position[1];
    double z0 = right.position[2];
    int n = (int) Math.ceil(seconds / DT);
    for (int i = 1; i <= n; i++) {
      double s = (double) i / n;
      right.set(x0 + s * (x - x0), y0 + s * (y - y0), z0 + s * (z - z0), closure);
      world.step(DT, left, right);
    }
  }

  @Test
  void scriptedPickAndPlaceSucceeds() {
    double[] c = world.cube().position.clone();
    double[] t = world.targetCentre();
    right.set(0.2, -0.3, 1.2, 0);
    world.step(DT, left, right);
    assertFalse(world.success());
    moveTo(c[0], c[1], c[2] + 0.15, 0, 0.5);
    moveTo(c[0], c[1], c[2] + 0.01, 0, 0.3);
    moveTo(c[0], c[1], c[2] + 0.01, 1, 0.2); // close the fingers around it
    assertTrue(world.cube().held(), "grasped");
    moveTo(c[0], c[1], c[2] + 0.2, 1, 0.4);
    assertEquals(c[2] + 0.19, world.cube().position[2], 1e-6, "carried rigidly");
    moveTo(t[0], t[1], t[2] + 0.2, 1, 0.6);
    moveTo(t[0], t[1], t[2] + 0.10, 1, 0.3);
    assertFalse(world.success(), "not while held");
    moveTo(t[0], t[1], t[2] + 0.10, 0, 0.1); // open: it drops the last 7.5 cm
    assertFalse(world.cube().held());
    moveTo(t[0], t[1], t[2] + 0.3, 0, 0.5);
    assertTrue(world.success(), "cube rests in the target area");
    TaskState s = world.toProto();
    assertTrue(s.getSuccess());
    assertEquals("pick-place", s.getTask());
    assertEquals(0.9 + 0.025, s.getObjects(0).getPose().getPosition().getZ(), 1e-9);
  }

  @Test
  void aClosedFistOrAFarHandDoesNotGrasp() {
    double[] c = world.cube().position.clone();
    right.set(c[0], c[1] + 0.3, c[2], 0);
    moveTo(c[0], c[1] + 0.3, c[2], 1, 0.1); // closes far away
    moveTo(c[0], c[1], c[2], 1, 0.3); // fist pushed onto the cube
    assertFalse(world.cube().held(), "closing away from the cube and then touching it is no grasp");
    moveTo(c[0], c[1], c[2], 0, 0.1);
    moveTo(c[0], c[1], c[2], 1, 0.1);
    assertTrue(world.cube().held(), "reopening and closing around it grasps");
    assertEquals(2, world.graspAttempts(), "the first closing and the second");
    assertEquals(1, world.graspsTaken());
    assertEquals(0.3, world.firstAttemptDistanceM(), 1e-9, "the first closing was 30 cm from the cube");
    assertEquals(1, world.toProto().getMissedGrasps(), "the task state reports the miss");
    assertEquals(2, world.toProto().getGraspAttempts());
    world.reset(world.seed() + 1);
    assertEquals(0, world.graspAttempts());
    assertTrue(Double.isNaN(world.firstAttemptDistanceM()), "a new layout has had no closing yet");
  }

  @Test
  void aPhysicalWorldCountsAClosingThatLiftsNothingAsAMissedGrasp() {
    TaskWorld w = TaskWorld.physical("r1", "pick-place", 11, 0.9);
    WorldObject cube = w.cube();
    double[] c = cube.position.clone();
    double[] upright = {1, 0, 0, 0};
    double[] still = {0, 0, 0};
    right.set(c[0], c[1] + 0.02, c[2], 0);
    w.observe(DT, left, right);
    right.set(c[0], c[1] + 0.02, c[2], 1); // closes 2 cm beside it: touches nothing
    w.observe(DT, left, right);
    assertEquals(1, w.graspAttempts());
    assertEquals(1, w.toProto().getMissedGrasps(), "not known to have taken anything yet");
    right.set(c[0], c[1], c[2], 0);
    w.observe(DT, left, right);
    right.set(c[0], c[1], c[2], 1); // closes on it: the fingers touch it, but it is still on the table
    w.setTouchedBy(0, 0b10);
    w.observe(DT, left, right);
    assertEquals(2, w.graspAttempts());
    assertEquals(0, w.graspsTaken(), "touching a cube on the table is not holding it");
    double[] lifted = {c[0], c[1], c[2] + 0.05};
    w.setObjectState(0, lifted, upright, still);
    w.observe(DT, left, right);
    assertEquals(1, w.graspsTaken(), "the closing took the cube once it was off the table in the hand");
    w.observe(DT, left, right);
    assertEquals(1, w.graspsTaken(), "one take per closing");
    assertEquals(1, w.toProto().getMissedGrasps());
    assertEquals(0.02, w.firstAttemptDistanceM(), 1e-9);
  }

  @Test
  void releasedOffTheTableItFallsToTheFloor() {
    double[] c = world.cube().position.clone();
    right.set(c[0], c[1], c[2], 0);
    moveTo(c[0], c[1], c[2], 1, 0.1);
    moveTo(0.05, c[1], 1.2, 1, 0.5); // in front of the table edge (x < 0.20)
    moveTo(0.05, c[1], 1.2, 0, 0.05);
    moveTo(0.05, c[1], 1.2, 0, 1.0);
    assertEquals(0.025, world.cube().position[2], 1e-9);
    assertFalse(world.success());
  }

  @Test
  void layoutsAreRandomizedBySeedAndReproducible() {
    TaskWorld a = new TaskWorld("r", "pick-place", 1, 0.9);
    TaskWorld b = new TaskWorld("r", "pick-place", 1, 0.9);
    TaskWorld c = new TaskWorld("r", "pick-place", 2, 0.9);
    assertEquals(a.toProto().getObjects(0).getPose(), b.toProto().getObjects(0).getPose());
    assertNotEquals(a.cube().position[1], c.cube().position[1]);
    for (long s = 0; s < 50; s++) {
      TaskWorld w = new TaskWorld("r", "pick-place", s, 0.9);
      assertFalse(w.success(), "seed " + s + " starts solved");
      assertTrue(Math.signum(w.cube().position[1]) != Math.signum(w.targetCentre()[1]), "opposite sides");
    }
    InputException e = assertThrows(InputException.class, () -> new TaskWorld("r", "juggle", 1, 0.9));
    assertTrue(e.getMessage().contains("juggle"));
  }
}
