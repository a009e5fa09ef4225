package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Quat;
import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.api.Test;

/**
 * A cube that fell out of the hand on the way, or was let go off the area, and rests on the table within
 * reach: the operator picks it up again, with the hand on its side.
 */
class PickPlaceRepickTest {
  /**
   * Pick-place seeds 22 and 33 in physics (after contact ERP 0.05 and 40 solver iterations, session 36): the right
   * hand lets the cube go over the area, it does not stay there, and the left hand picks it up again and places it.
   * With the firmer hold 41 and 42 (the cube slipped out at the midline) are placed by one hand; in seeds 1-50 only
   * 22 and 33 are placed after both hands held the cube (in 51-100 only 72, the same case: none is dropped on
   * the way and picked up by the other hand).
   */
  @Test
  void aCubeThatEndedUpOffTheAreaIsPickedUpAgainByTheOtherHand() {
    java.util.List<SteppedTaskRun.Episode> episodes = SteppedTaskRun.physics("pick-place", 22, 33);
    assertEquals(2, episodes.stream().filter(e -> e.success() && e.handsThatHeld() == 3).count(), "placed, each after both hands held it:\n" + SteppedTaskRun.log(episodes));
  }

  @Test
  void aCubeRolledOntoASideIsGraspedAlongAFaceThatLiesFlat() {
    for (double yaw : new double[] {-0.4, 0.1, 0.7}) {
      Quat stand = Quat.fromAxisAngle(io.optimus.motion.geometry.Vec3.UNIT_Z, yaw);
      for (Quat roll : new Quat[] {Quat.fromAxisAngle(io.optimus.motion.geometry.Vec3.UNIT_X, Math.PI / 2),
          Quat.fromAxisAngle(io.optimus.motion.geometry.Vec3.UNIT_Y, -Math.PI / 2),
          Quat.fromAxisAngle(io.optimus.motion.geometry.Vec3.UNIT_X, Math.PI)}) {
        Quat q = stand.times(roll).normalized(); // rolled in its own frame, then turned by yaw
        double heading = PickPlacePlanner.faceHeading(cube(q));
        assertEquals(0, Math.IEEEremainder(heading - yaw, Math.PI / 2), 1e-9, "yaw " + yaw + " roll " + roll);
      }
      // standing on its bottom face: exactly the yaw
      assertEquals(yaw, PickPlacePlanner.faceHeading(cube(stand)), 1e-12);
    }
    assertTrue(Double.isFinite(PickPlacePlanner.faceHeading(cube(new Quat(0, 0, 0, 0)))), "a zero quaternion is no crash");
  }

  private static ObjectState cube(Quat q) {
    return ObjectState.newBuilder().setName(PickPlacePlanner.CUBE)
        .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.36).setY(0.1).setZ(0.925))
            .setOrientation(Quaternion.newBuilder().setW(q.w()).setX(q.x()).setY(q.y()).setZ(q.z())))
        .setSize(Vector3.newBuilder().setX(0.05).setY(0.05).setZ(0.05))
        .build();
  }
}
