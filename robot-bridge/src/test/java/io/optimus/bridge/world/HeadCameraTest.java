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
}
