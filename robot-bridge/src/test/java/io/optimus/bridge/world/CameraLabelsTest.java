package io.optimus.bridge.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.Stamps;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.CameraFrame;
import org.junit.jupiter.api.Test;

/** The simulator's free labels line up with the pixels the same renderer drew. */
class CameraLabelsTest {

  @Test
  void theCubesSegmentedPixelsAreRedSurroundItsProjectedCentreAndLieOnItsSurface() {
    TaskWorld world = new TaskWorld("r1", "pick-place", 5, 0.9);
    CameraRenderer cam = new CameraRenderer(CameraRendererTest.RIG, "head", "r1");
    KinematicsData d = CameraRendererTest.home();
    CameraFrame f = cam.render(d, world, 1, Stamps.now());
    CameraLabels labels = cam.lastLabels();
    byte[] px = f.getData().toByteArray();
    int w = labels.width();
    CameraLabels.ObjectCentre c = labels.centres().get(0);
    assertEquals(world.cube().name, c.name());
    assertTrue(c.visible(w, labels.height()), "cube centre in view: " + c);
    int centrePixel = (int) c.v() * w + (int) c.u();
    assertEquals(CameraLabels.OBJECT, labels.segmentation()[centrePixel], "the projected centre is a cube pixel");
    assertEquals(1, labels.instance()[centrePixel]);
    int cubePixels = labels.pixelsOf(CameraLabels.OBJECT);
    assertEquals(c.pixels(), cubePixels);
    int red = 0;
    int interior = 0;
    int interiorRed = 0;
    double meanU = 0;
    double meanV = 0;
    for (int i = 0; i < labels.segmentation().length; i++) {
      if (labels.segmentation()[i] == CameraLabels.OBJECT) {
        int r = px[3 * i] & 0xff;
        boolean reddish = r > 2 * (px[3 * i + 1] & 0xff) + 10 && r > 2 * (px[3 * i + 2] & 0xff) + 10;
        red += reddish ? 1 : 0;
        interior += onEdge(labels, i) ? 0 : 1;
        interiorRed += !onEdge(labels, i) && reddish ? 1 : 0;
        meanU += (i % w + 0.5) / cubePixels;
        meanV += (i / w + 0.5) / cubePixels;
      } else {
        assertTrue(!((px[3 * i] & 0xff) > 150 && (px[3 * i + 1] & 0xff) < 50 && (px[3 * i + 2] & 0xff) < 50)
            || onEdge(labels, i), "a red pixel off the cube's label at " + i);
      }
    }
    assertEquals(interior, interiorRed, "every cube-labelled pixel away from its outline is red");
    assertTrue(red >= 0.75 * cubePixels, red + " of " + cubePixels + " cube-labelled pixels are red");
    assertEquals(c.u(), meanU, 2.0, "segment centroid vs projected centre (u)");
    assertEquals(c.v(), meanV, 2.0, "segment centroid vs projected centre (v)");
    // depth: each cube pixel's ray at its labelled depth lands on the cube (within 2 mm of its box)
    double[] lens = new double[3];
    cam.lensPosition(lens);
    double[] rot = new double[9];
    System.arraycopy(d.linkRotation, 9 * cam.camera().link(), rot, 0, 9);
    double[] q = world.cube().orientation;
    double[] cubeRot = new double[9];
    Rotations.quatToMatrix(q, 0, cubeRot, 0);
    for (int i = 0; i < labels.segmentation().length; i++) {
      if (labels.segmentation()[i] != CameraLabels.OBJECT) {
        continue;
      }
      double z = labels.depth()[i];
      double x = ((i % w) + 0.5 - w / 2.0) / cam.focal() * z;
      double y = ((i / w) + 0.5 - labels.height() / 2.0) / cam.focal() * z;
      double[] world3 = new double[3];
      for (int k = 0; k < 3; k++) {
        world3[k] = lens[k] + rot[3 * k] * x + rot[3 * k + 1] * y + rot[3 * k + 2] * z;
      }
      for (int axis = 0; axis < 3; axis++) { // into the cube's frame: R^T (p - centre)
        double local = 0;
        for (int k = 0; k < 3; k++) {
          local += cubeRot[3 * k + axis] * (world3[k] - world.cube().position[k]);
        }
        assertTrue(Math.abs(local) <= world.cube().size[axis] / 2 + 0.002,
            "pixel " + i + " at depth " + z + " is " + local + " m from the cube centre on axis " + axis);
      }
    }
    // off the table, out of view: no cube label, centre not visible
    world.cube().position[0] = -2;
    cam.render(d, world, 2, Stamps.now());
    CameraLabels gone = cam.lastLabels();
    assertEquals(0, gone.pixelsOf(CameraLabels.OBJECT));
    assertTrue(!gone.centres().get(0).visible(w, gone.height()));
  }

  @Test
  void aWristCameraLabelsTheClosedFingersAsHandAndTheCubeBetweenThemAsObject() {
    var rig = CameraRendererTest.RIG;
    KinematicsData d = CameraRendererTest.home();
    for (int i : rig.left().fingerQ()) {
      var j = rig.model().dofJoints().get(i);
      d.q[i] = Math.abs(j.limits().upper()) >= Math.abs(j.limits().lower()) ? j.limits().upper() : j.limits().lower();
    }
    rig.kinematics().forward(d);
    TaskWorld world = new TaskWorld("r1", "pick-place", 5, 0.9);
    int palm = rig.left().palmLink();
    for (int k = 0; k < 3; k++) {
      world.cube().position[k] = d.linkPosition[3 * palm + k];
    }
    CameraRenderer cam = new CameraRenderer(rig, "left_wrist", "r1");
    CameraFrame f = cam.render(d, world, 1, Stamps.now());
    CameraLabels labels = cam.lastLabels();
    byte[] px = f.getData().toByteArray();
    int fingerColoured = 0;
    int fingerLabelled = 0;
    for (int i = 0; i < labels.segmentation().length; i++) {
      boolean finger = Math.abs((px[3 * i] & 0xff) - 92) <= 12 && Math.abs((px[3 * i + 1] & 0xff) - 97) <= 12
          && Math.abs((px[3 * i + 2] & 0xff) - 110) <= 12;
      if (finger) {
        fingerColoured++;
        fingerLabelled += labels.segmentation()[i] == CameraLabels.HAND ? 1 : 0;
      }
    }
    assertTrue(fingerColoured > 150, "finger pixels: " + fingerColoured);
    assertTrue(fingerLabelled >= 0.95 * fingerColoured, fingerLabelled + " of " + fingerColoured + " finger pixels");
    assertTrue(labels.pixelsOf(CameraLabels.OBJECT) > 32 * 32 / 4, "the cube between the fingers");
    for (int i = 0; i < labels.depth().length; i++) {
      float z = labels.depth()[i];
      assertTrue(z == 0 ? labels.segmentation()[i] == CameraLabels.BACKGROUND : z > 0 && z < 10, "depth " + z);
    }
  }

  /** A pixel beside a differently labelled one: antialiasing may blend colours there. */
  private static boolean onEdge(CameraLabels l, int i) {
    int w = l.width();
    int u = i % w;
    int v = i / w;
    for (int dv = -1; dv <= 1; dv++) {
      for (int du = -1; du <= 1; du++) {
        int uu = u + du;
        int vv = v + dv;
        if (uu >= 0 && vv >= 0 && uu < w && vv < l.height() && l.segmentation()[vv * w + uu] != l.segmentation()[i]) {
          return true;
        }
      }
    }
    return false;
  }
}
