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
    assertEquals(java.util.List.of("head", "left_wrist", "right_wrist"),
        desc.getCamerasList().stream().map(c -> c.getName()).toList());
    assertEquals("left_hand", desc.getCameras(1).getParentLink());
    assertEquals("right_hand", desc.getCameras(2).getParentLink());
    assertEquals(48.0, desc.getCameras(1).getIntrinsics().getFy(), 1e-9, "96 px over 90 degrees");
    assertEquals(0, RIG.describe("r7", 250, 0).getCamerasCount(), "cameras off");
  }

  @Test
  void wristCamerasLookAlongTheFingersAtTheGraspCentre() {
    KinematicsData d = RIG.kinematics().newData();
    RIG.placeBase(d);
    System.arraycopy(RIG.home(), 0, d.q, 0, RIG.dof());
    RIG.kinematics().forward(d);
    for (RobotRig.Hand h : new RobotRig.Hand[] {RIG.left(), RIG.right()}) {
      RobotRig.Camera cam = RIG.cameras().stream().filter(c -> c.name().equals(h.side() + "_wrist")).findFirst()
          .orElseThrow();
      int c = cam.link();
      double[] toPalm = new double[3];
      double dist = 0;
      for (int k = 0; k < 3; k++) {
        toPalm[k] = d.linkPosition[3 * h.palmLink() + k] - d.linkPosition[3 * c + k];
        dist += toPalm[k] * toPalm[k];
      }
      dist = Math.sqrt(dist);
      // optical z (third column of the row-major rotation) points at the grasp centre
      double along = 0;
      for (int k = 0; k < 3; k++) {
        along += d.linkRotation[9 * c + 3 * k + 2] * toPalm[k] / dist;
      }
      assertEquals(1.0, along, 1e-6, h.side() + " wrist camera aims at the palm frame");
      assertTrue(dist > 0.06 && dist < 0.12, h.side() + ": " + dist + " m to the grasp centre");
    }
  }

  @Test
  void aModelWithoutWristCameraFramesHasOnlyItsHeadCamera() {
    String urdf = """
        <robot name="headonly"><link name="base"/>
          <joint name="head_camera_joint" type="fixed"><parent link="base"/><child link="head_camera"/></joint>
          <link name="head_camera"/></robot>
        """;
    RobotRig rig = new RobotRig(UrdfLoader.parse(urdf, "headonly.urdf"));
    assertEquals(java.util.List.of("head"), rig.cameras().stream().map(RobotRig.Camera::name).toList());
    assertEquals(1, rig.describe("x", 100, 10).getCamerasCount());
  }
}
