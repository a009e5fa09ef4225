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

class CameraRendererTest {
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
    CameraRenderer cam = new CameraRenderer(RIG, "head", "r1");
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
  void theVideoRenderersBgrImageGivesTheSameFrameAsTheTrainingOnes() {
    TaskWorld world = new TaskWorld("r1", "pick-place", 5, 0.9);
    RobotRig.Camera head = RIG.cameras().get(0);
    CameraFrame a = new CameraRenderer(RIG, head, "r1", 0).render(home(), world, 1, Stamps.now());
    CameraFrame b = CameraRenderer.forVideo(RIG, head, "r1", 0).render(home(), world, 1, Stamps.now());
    byte[] x = a.getData().toByteArray();
    byte[] y = b.getData().toByteArray();
    assertEquals(x.length, y.length);
    int off = 0;
    for (int i = 0; i < x.length; i++) {
      off = Math.max(off, Math.abs((x[i] & 0xff) - (y[i] & 0xff)));
    }
    assertTrue(off <= 2, "same pixels in the same channel order (antialiased edges may round apart): " + off);
    assertTrue(count(b, 150, 60, 60, false) > 5, "the red cube is red");
  }

  @Test
  void cameraPoseIsTheHeadCameraLinkPoseWithCanonicalQuaternion() {
    java.util.Random rnd = new java.util.Random(4);
    CameraRenderer cam = new CameraRenderer(RIG, "head", "r1");
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

  /** Pixels of roughly this colour (each channel within 12). */
  static int countColour(CameraFrame f, int r, int g, int b, int u0, int v0, int u1, int v1) {
    byte[] px = f.getData().toByteArray();
    int n = 0;
    for (int v = v0; v < v1; v++) {
      for (int u = u0; u < u1; u++) {
        int i = 3 * (v * f.getWidth() + u);
        if (Math.abs((px[i] & 0xff) - r) <= 12 && Math.abs((px[i + 1] & 0xff) - g) <= 12
            && Math.abs((px[i + 2] & 0xff) - b) <= 12) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void aWristCameraSeesTheCubeInTheMiddleAndTheClosedFingersAroundIt() {
    KinematicsData d = home();
    for (int i : RIG.left().fingerQ()) {
      var j = RIG.model().dofJoints().get(i);
      d.q[i] = Math.abs(j.limits().upper()) >= Math.abs(j.limits().lower()) ? j.limits().upper() : j.limits().lower();
    }
    RIG.kinematics().forward(d);
    assertEquals(1.0, RIG.closure(d, RIG.left()), 1e-9, "a fist");
    TaskWorld world = new TaskWorld("r1", "pick-place", 5, 0.9);
    int palm = RIG.left().palmLink();
    for (int k = 0; k < 3; k++) { // the cube at the grasp centre, between the fingers
      world.cube().position[k] = d.linkPosition[3 * palm + k];
    }
    CameraRenderer cam = new CameraRenderer(RIG, "left_wrist", "r1");
    CameraFrame f = cam.render(d, world, 1, Stamps.now());
    assertEquals("left_wrist", f.getCameraName());
    assertEquals(96, f.getWidth());
    assertEquals(96 * 96 * 3, f.getData().size());
    int[] red = {217, 38, 26}; // the cube's top face (0.85, 0.15, 0.1), unshaded
    int centre = 0;
    for (double shade : new double[] {1.0, 0.85, 0.75, 0.7, 0.65}) {
      centre += countColour(f, (int) (red[0] * shade), (int) (red[1] * shade), (int) (red[2] * shade), 32, 32, 64, 64);
    }
    assertTrue(centre > 32 * 32 / 4, "cube colour in the central third: " + centre + " px");
    int fingers = countColour(f, 92, 97, 110, 0, 0, 96, 96);
    assertTrue(fingers > 150, "finger pixels: " + fingers);
    // the other wrist's camera looks at the right hand, far from the cube: no cube there
    CameraFrame other = new CameraRenderer(RIG, "right_wrist", "r1").render(d, world, 1, Stamps.now());
    assertEquals("right_wrist", other.getCameraName());
    assertEquals(0, count(other, 150, 60, 60, false), "no cube in the right wrist's view");
    // the cube moved away: the fingers stay, the cube is gone from the centre
    world.cube().position[0] += 2;
    CameraFrame empty = cam.render(d, world, 2, Stamps.now());
    assertEquals(0, count(empty, 150, 60, 60, false));
    assertTrue(countColour(empty, 92, 97, 110, 0, 0, 96, 96) >= fingers, "fingers no longer behind the cube");
  }

  /**
   * A thin rod 6 cm to the left of the lens, from 0.5 m behind it to 0.5 m in front: only the part in
   * front may show, as a strip in the left half. Projected unclipped, its rear end would land in the
   * right half (a point behind a pinhole projects mirrored).
   */
  @Test
  void aSegmentPassingBehindTheLensIsDrawnOnlyWhereItIsInFront() {
    String urdf = """
        <robot name="probe">
          <link name="base"/>
          <joint name="head_camera_joint" type="fixed"><origin xyz="0 0 0" rpy="-1.570796327 0 -1.570796327"/>
            <parent link="base"/><child link="head_camera"/></joint>
          <link name="head_camera"/>
          <joint name="forearm_joint" type="revolute"><origin xyz="0 0 0" rpy="0 0 0"/>
            <parent link="base"/><child link="left_forearm"/><axis xyz="0 0 1"/>
            <limit lower="-1" upper="1" effort="1" velocity="1"/></joint>
          <link name="left_forearm">
            <inertial><origin xyz="0 0 0" rpy="0 0 0"/><mass value="1"/>
              <inertia ixx="0.01" ixy="0" ixz="0" iyy="0.01" iyz="0" izz="0.01"/></inertial>
            <collision><origin xyz="0 0.06 0" rpy="0 1.570796327 0"/><geometry><capsule radius="0.01" length="1.0"/></geometry></collision>
          </link>
        </robot>
        """;
    byte[] withRod = renderProbe(urdf);
    byte[] without = renderProbe(urdf.replaceAll("<collision>.*</collision>", ""));
    int left = 0;
    int right = 0;
    for (int i = 0; i < withRod.length; i++) {
      if (withRod[i] != without[i]) {
        int u = (i / 3) % 96;
        left += u < 44 ? 1 : 0;
        right += u >= 52 ? 1 : 0;
      }
    }
    assertTrue(left > 100, "the rod's front part, left of centre: " + left + " px");
    assertEquals(0, right, "nothing of the rod right of centre");
  }

  @Test
  void everyCameraSurvivesWildPosesNanAndHugeAnglesWithFullFrames() {
    java.util.Random rnd = new java.util.Random(11);
    TaskWorld world = new TaskWorld("r1", "pick-place", 2, 0.9);
    CameraRenderer[] cams = RIG.cameras().stream().map(c -> new CameraRenderer(RIG, c, "r1"))
        .toArray(CameraRenderer[]::new);
    assertEquals(3, cams.length);
    KinematicsData d = home();
    for (int i = 0; i < 200; i++) {
      for (int k = 0; k < d.q.length; k++) {
        d.q[k] = RIG.home()[k] + 1.5 * rnd.nextGaussian();
      }
      if (i % 10 == 3) {
        d.q[rnd.nextInt(d.q.length)] = Double.NaN;
      } else if (i % 10 == 6) {
        d.q[rnd.nextInt(d.q.length)] = 1e300;
      }
      RIG.forwardStanding(d);
      for (CameraRenderer c : cams) {
        CameraFrame f = c.render(d, world, i, Stamps.now());
        assertEquals(c.name(), f.getCameraName());
        assertEquals(96 * 96 * 3, f.getData().size());
      }
    }
  }

  private static byte[] renderProbe(String urdf) {
    RobotRig rig = new RobotRig(io.optimus.motion.model.UrdfLoader.parse(urdf, "probe.urdf"));
    KinematicsData d = rig.kinematics().newData();
    rig.placeBase(d);
    rig.kinematics().forward(d);
    return new CameraRenderer(rig, "head", "r1").render(d, null, 1, Stamps.now()).getData().toByteArray();
  }
}
