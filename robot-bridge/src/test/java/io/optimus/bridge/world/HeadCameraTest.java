package io.optimus.bridge.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.common.Stamps;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ImageEncoding;
import org.junit.jupiter.api.Test;

class HeadCameraTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  static KinematicsData home() {
    KinematicsData d = RIG.kinematics().newData();
    RIG.placeBase(d);
    System.arraycopy(RIG.home(), 0, d.q, 0, RIG.dof());
    RIG.kinematics().forward(d);
    return d;
  }

  static int count(CameraFrame f, int minR, int maxG, int maxB, boolean green) {
    byte[] px = f.getData().toByteArray();
    int n = 0;
    for (int i = 0; i < px.length; i += 3) {
      int r = px[i] & 0xff;
      int g = px[i + 1] & 0xff;
      int b = px[i + 2] & 0xff;
      if (green ? (g > 120 && r < 90 && b < 110) : (r >= minR && g <= maxG && b <= maxB)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void seesTheCubeAndTheTargetAreaOnTheTable() {
    TaskWorld world = new TaskWorld("r1", "pick-place", 5, 0.9);
    HeadCamera cam = new HeadCamera(RIG, "r1");
    CameraFrame f = cam.render(home(), world, 1, Stamps.now());
    assertEquals(96, f.getWidth());
    assertEquals(96 * 96 * 3, f.getData().size());
    assertEquals(ImageEncoding.IMAGE_ENCODING_RGB8, f.getEncoding());
    int red = count(f, 150, 60, 60, false);
    int green = count(f, 0, 0, 0, true);
    assertTrue(red > 5, "cube pixels: " + red);
    assertTrue(green > 20, "target pixels: " + green);
    // the cube on the left (+y) of the robot appears in the left half of the image (x right)
    byte[] px = f.getData().toByteArray();
    double sumU = 0;
    int n = 0;
    for (int i = 0; i < px.length; i += 3) {
      if ((px[i] & 0xff) >= 150 && (px[i + 1] & 0xff) <= 60 && (px[i + 2] & 0xff) <= 60) {
        sumU += (i / 3) % 96;
        n++;
      }
    }
    boolean cubeLeft = world.cube().position[1] > 0;
    assertEquals(cubeLeft, sumU / n < 48, "cube at y=" + world.cube().position[1] + " drawn at u=" + sumU / n);
    // moved off the table out of view: no cube pixels
    world.cube().position[0] = -2;
    assertEquals(0, count(cam.render(home(), world, 2, Stamps.now()), 150, 60, 60, false));
  }

  @Test
  void cameraPoseIsTheHeadCameraLinkPoseWithCanonicalQuaternion() {
    java.util.Random rnd = new java.util.Random(4);
    HeadCamera cam = new HeadCamera(RIG, "r1");
    for (int i = 0; i < 20; i++) {
      KinematicsData d = home();
      for (int k = 0; k < d.q.length; k++) {
        d.q[k] += 0.8 * rnd.nextGaussian(); // the head turns every which way, w of its quaternion too
      }
      RIG.kinematics().forward(d);
      io.optimus.proto.v1.Pose pose = cam.render(d, null, i, Stamps.now()).getCameraPose();
      io.optimus.proto.v1.Quaternion q = pose.getOrientation();
      assertTrue(q.getW() >= 0, "w >= 0: " + q);
      assertEquals(1, Math.sqrt(q.getW() * q.getW() + q.getX() * q.getX() + q.getY() * q.getY() + q.getZ() * q.getZ()),
          1e-12);
      io.optimus.motion.geometry.Pose3 link = d.linkPose(RIG.cameraLink());
      io.optimus.motion.geometry.Pose3 sent = io.optimus.motion.geometry.proto.Pose3Proto.fromProto(pose);
      assertEquals(0, link.rotation().angleTo(sent.rotation()), 1e-9);
      assertEquals(0, link.translation().distance(sent.translation()), 1e-12);
    }
  }
}
