package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.api.Test;

/**
 * Grasping a cube near the body in the physics world: reached low and close with the fingers straight
 * ahead or turned out, the upper arm came up against the torso, the palm stopped short of the grasp and
 * the closing fingers pushed the cube back off the table. The fingers now turn towards the midline there.
 */
class PickPlaceGraspTest {
  /**
   * Pick-place seeds 11 (left hand, cube at x 0.331, its faces 0.01 rad off straight ahead) and 20 (right
   * hand, x 0.302, turned 0.17 rad outwards) in physics: before, both failed at closure (the cube pushed
   * off the table).
   */
  @Test
  void aCubeNearTheBodyIsGraspedWithTheFingersTurnedTowardsTheMidline() {
    java.util.List<SteppedTaskRun.Episode> episodes = SteppedTaskRun.physics("pick-place", 11, 20);
    assertEquals(2, episodes.stream().filter(e -> e.success()).count(), SteppedTaskRun.log(episodes));
  }

  @Test
  void nearTheBodyTheFingersPointAlongAFaceTowardsTheMidline() {
    for (int hand = 0; hand < 2; hand++) {
      double in = hand == 0 ? -1 : 1; // towards the midline: the left hand's fingers turn to -y
      for (double cubeYaw : new double[] {-0.6, -0.3, -0.01, 0.01, 0.3, 0.6, 0.3 + Math.PI / 2}) {
        for (double x : new double[] {0.30, 0.34, 0.36, 0.42}) {
          ObjectState cube = cube(x, hand == 0 ? 0.12 : -0.12, cubeYaw);
          double yaw = PickPlacePlanner.graspYaw(cube, hand);
          String what = "hand " + hand + " cube yaw " + cubeYaw + " x " + x + ": fingers at " + yaw;
          double offFace = Math.IEEEremainder(yaw - cubeYaw, Math.PI / 2);
          assertEquals(0, offFace, 1e-9, "along a face, " + what);
          if (x < PickPlacePlanner.NEAR_X) {
            assertTrue(in * yaw >= 0 && in * yaw <= Math.PI / 2 + 1e-9, "turned towards the midline, " + what);
          } else {
            assertTrue(Math.abs(yaw) <= Math.PI / 4 + 1e-9, "nearest straight ahead, " + what);
          }
          // the palm goes where the cube sits in it as planned, in the orientation the hand is turned to
          Quat rot = PickPlacePlanner.graspOrientation(cube, hand);
          Vec3 fingers = rot.rotate(Vec3.UNIT_X);
          assertEquals(yaw, Math.atan2(fingers.y(), fingers.x()), 1e-9, what);
          Vec3 inPalm = rot.conjugate().rotate(new Vec3(x, hand == 0 ? 0.12 : -0.12, 0.925)
              .minus(PickPlacePlanner.graspPalm(cube, hand, 0)));
          Vec3 want = new Vec3(PickPlacePlanner.CUBE_IN_PALM.x(), (hand == 0 ? 1 : -1) * PickPlacePlanner.CUBE_IN_PALM.y(),
              PickPlacePlanner.CUBE_IN_PALM.z());
          assertEquals(0, inPalm.distance(want), 1e-9, what);
        }
      }
      // the one-argument form is the hand on the cube's side (the planners' choice)
      ObjectState near = cube(0.31, hand == 0 ? 0.1 : -0.1, hand == 0 ? 0.2 : -0.2);
      assertEquals(0, PickPlacePlanner.graspOrientation(near).rotate(Vec3.UNIT_X)
          .distance(PickPlacePlanner.graspOrientation(near, hand).rotate(Vec3.UNIT_X)), 1e-12);
    }
  }

  private static ObjectState cube(double x, double y, double yaw) {
    return ObjectState.newBuilder().setName(PickPlacePlanner.CUBE)
        .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(0.925))
            .setOrientation(Quaternion.newBuilder().setW(Math.cos(yaw / 2)).setZ(Math.sin(yaw / 2))))
        .setSize(Vector3.newBuilder().setX(0.05).setY(0.05).setZ(0.05))
        .build();
  }
}
