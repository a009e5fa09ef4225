package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import org.junit.jupiter.api.Test;

/**
 * Setting the stack's 4 cm cube down on the 5.5 cm base in the physics world. Held by pick-and-place's
 * hook grasp, the fingertips curl under the cube's far bottom edge and land on the base first; the cube
 * was let go 1-3 cm above it and fell off (stack seeds 1-6 in physics: 0/6). Now the hand tips the
 * fingers up for the set-down so the cube's near bottom edge is lowest, and the cube, opened, tips down
 * flat onto the base; a cube that ends up back on the table is picked up again.
 */
class StackSetDownTest {
  /**
   * Stack seeds 7 and 23 in physics (session 37, the cube lowered onto the base before the hand opens): tipped
   * (0.5 rad) both are stacked by 14.9 and 14.2 s (the first set-down); set down as grasped (tilt 0) both fail at place
   * (as do 27, 37 and 40, also stacked tipped).
   */
  @Test
  void theCubeTippedDownFromItsNearEdgeStaysOnTheBase() {
    java.util.List<SteppedTaskRun.Episode> episodes = SteppedTaskRun.physics("stack", 7, 23);
    assertEquals(2, episodes.stream().filter(e -> e.success()).count(), SteppedTaskRun.log(episodes));
  }

  @Test
  void theTippedCubeIsLinedUpSoThatItLandsFlatOnTheGoal() {
    double h = 0.02;
    for (double yaw : new double[] {0, 0.6, -2.2}) {
      for (double tilt : new double[] {0.3, 0.5, 0.8}) {
        Vec3 heading = new Vec3(Math.cos(yaw), Math.sin(yaw), 0);
        Vec3 fingers = Quat.fromAxisAngle(new Vec3(-heading.y(), heading.x(), 0), -tilt).rotate(heading);
        Vec3 centre = PickPlacePlanner.tiltedCentre(fingers, h, tilt); // relative to the flat cube's resting centre
        // the cube tipped with the hand (far side up by tilt): its near bottom edge, lowest, at rest on z = -h
        Vec3 across = new Vec3(-heading.y(), heading.x(), 0);
        Quat tipped = Quat.fromAxisAngle(across, -tilt);
        Vec3 nearBottom = centre.plus(tipped.rotate(heading.times(-h).plus(new Vec3(0, 0, -h))));
        Vec3 farBottom = centre.plus(tipped.rotate(heading.times(h).plus(new Vec3(0, 0, -h))));
        assertEquals(-h, nearBottom.z(), 1e-12, "the near bottom edge touches the goal's top, tilt " + tilt);
        assertEquals(-h + 2 * h * Math.sin(tilt), farBottom.z(), 1e-12, "the far side is up");
        // tipped down flat about that edge, the cube's centre comes to rest on the goal's centre
        Vec3 flat = nearBottom.plus(heading.times(h)).plus(new Vec3(0, 0, h));
        assertEquals(0, flat.norm(), 1e-12, "lands centred, yaw " + yaw + " tilt " + tilt);
      }
    }
    assertEquals(0, PickPlacePlanner.tiltedCentre(Vec3.UNIT_X, h, 0).norm(), 0, "no tilt: set down as grasped");
  }
}
