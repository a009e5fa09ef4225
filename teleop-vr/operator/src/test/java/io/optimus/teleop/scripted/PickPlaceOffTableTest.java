package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Vector3;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A grasp that did not take: the operator comes down on the cube again where it rests on the table, but not
 * where it lies after falling off it (on the floor, out of reach below the table top: coming down on it drove
 * the hand into the table top until the attempts ran out, 10-20 s of an episode lost anyway).
 */
class PickPlaceOffTableTest {
  private static final double TABLE_TOP = 0.75;
  private static final double HALF = 0.025;

  @Test
  void aCubeKnockedOffTheTableAtAMissedGraspIsNotReachedForOnTheFloor() {
    for (boolean fallen : new boolean[] {false, true}) {
      PickPlacePlanner p = new PickPlacePlanner(5, 1, false, (e, s) -> { });
      PickPlacePlanner.Output out = new PickPlacePlanner.Output();
      Set<PickPlacePlanner.Phase> seen = EnumSet.noneOf(PickPlacePlanner.Phase.class);
      TaskState task = task(0.36, 0.08, TABLE_TOP + HALF);
      double lowestAfterFall = Double.POSITIVE_INFINITY;
      boolean fell = false;
      for (int k = 0; k < 90 * 60 && !seen.contains(PickPlacePlanner.Phase.REGRASP)
          && !seen.contains(PickPlacePlanner.Phase.WITHDRAW); k++) {
        p.tick(k / 90.0, task, out);
        seen.add(p.phase());
        if (fallen && !fell && p.phase() == PickPlacePlanner.Phase.VERIFY) {
          fell = true; // knocked off the front edge as the fingers closed
          task = task(0.10, 0.08, 0.0 + HALF);
        }
        if (fell) {
          for (int h = 0; h < 2; h++) {
            lowestAfterFall = Math.min(lowestAfterFall, out.palm[h].translation().z());
          }
        }
      }
      assertTrue(seen.contains(PickPlacePlanner.Phase.VERIFY), "the grasp was tried: " + seen);
      if (fallen) {
        assertTrue(fell);
        assertTrue(seen.contains(PickPlacePlanner.Phase.WITHDRAW), "gave up on the fallen cube: " + seen);
        assertFalse(seen.contains(PickPlacePlanner.Phase.REGRASP), "no second grasp on the floor: " + seen);
        assertTrue(lowestAfterFall > TABLE_TOP - 0.01, "no palm sent below the table top: " + lowestAfterFall);
      } else {
        assertTrue(seen.contains(PickPlacePlanner.Phase.REGRASP), "a cube still on the table is tried again: " + seen);
        assertEquals(false, seen.contains(PickPlacePlanner.Phase.WITHDRAW), "not given up: " + seen);
      }
    }
  }

  private static TaskState task(double x, double y, double z) {
    ObjectState cube = ObjectState.newBuilder().setName(PickPlacePlanner.CUBE)
        .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
            .setOrientation(Quaternion.newBuilder().setW(1)))
        .setSize(Vector3.newBuilder().setX(2 * HALF).setY(2 * HALF).setZ(2 * HALF))
        .build();
    return TaskState.newBuilder().setSeed(1).addObjects(cube)
        .setTargetArea(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(0.36).setY(-0.15).setZ(TABLE_TOP))
            .setOrientation(Quaternion.newBuilder().setW(1)))
        .build();
  }
}
