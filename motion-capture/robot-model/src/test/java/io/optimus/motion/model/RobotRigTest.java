package io.optimus.motion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.RobotDescription;
import org.junit.jupiter.api.Test;

class RobotRigTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void standsOnTheFloorWithPalmsCameraAndFingerClosureFromFk() {
    KinematicsData d = RIG.kinematics().newData();
    RIG.placeBase(d);
    System.arraycopy(RIG.home(), 0, d.q, 0, RIG.dof());
    RIG.kinematics().forward(d);
    int foot = RIG.model().linkIndex("left_foot");
    assertEquals(0.0, d.linkPosition[3 * foot + 2], 1e-9, "feet on the floor");
    assertTrue(RIG.baseHeight() > 0.7 && RIG.baseHeight() < 1.3, "pelvis height " + RIG.baseHeight());
    assertTrue(RIG.left().present() && RIG.right().present());
    assertTrue(RIG.left().tipLinks().length >= 4, "fingertips");
    assertTrue(RIG.cameraLink() > 0);
    assertEquals(0.0, RIG.closure(d, RIG.right()), 1e-9, "home: hands open");
    for (int i : RIG.right().fingerQ()) {
      var j = RIG.model().dofJoints().get(i);
      d.q[i] = Math.abs(j.limits().upper()) >= Math.abs(j.limits().lower()) ? j.limits().upper() : j.limits().lower();
    }
    RIG.kinematics().forward(d);
    assertEquals(1.0, RIG.closure(d, RIG.right()), 1e-9, "fist");
    assertEquals(0.0, RIG.closure(d, RIG.left()), 1e-9, "the other hand stays open");
  }

  @Test
  void describesItselfWithTheConfiguredCamera() {
    RobotDescription desc = RIG.describe("r7", 250, 10);
    assertEquals("r7", desc.getRobotId());
    assertEquals(RIG.dof(), desc.getJointsCount());
    assertEquals(250, desc.getControlRateHz());
    assertEquals(96, desc.getCameras(0).getWidth());
    assertEquals("head", desc.getCameras(0).getName());
    assertEquals(RIG.model().modelHash(), desc.getModelHash());
  }
}
