package io.optimus.motion.kinematics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.JointType;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.motion.testing.SharedRobots;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KinematicsTest {

  private static void assertVec(Vec3 expected, Vec3 actual, double tol, String what) {
    assertTrue(expected.distance(actual) < tol, what + ": expected " + expected + " got " + actual);
  }

  @Test
  void h1ZeroPoseMatchesTheUrdfOriginsByHand() {
    RobotModel h1 = UrdfLoader.load(SharedRobots.h1());
    Kinematics k = new Kinematics(h1);
    KinematicsData d = k.newData();
    k.forward(d);
    // left leg origins: (0 .0875 -.1742) + (.039468 0 0) + (0 .11536 0) + (0 0 -.4) + (0 0 -.4)
    assertVec(new Vec3(0.039468, 0.0875 + 0.11536, -0.1742 - 0.8), d.linkPose("left_ankle_link").translation(), 1e-9, "ankle");
    // the shoulder pitch frame is rolled by 0.43633 rad, the roll frame un-rolls it
    double a = 0.43633, c = Math.cos(a), s = Math.sin(a);
    Vec3 off = new Vec3(-0.0055, c * 0.0565 - s * -0.0165, s * 0.0565 + c * -0.0165);
    Pose3 roll = d.linkPose("left_shoulder_roll_link");
    assertVec(new Vec3(0.0055, 0.15535, 0.42999).plus(off), roll.translation(), 1e-9, "shoulder roll");
    assertEquals(0, roll.rotation().angle(), 1e-5);

    // bending the knee 90 degrees about +y swings the 0.4 m shank from -z to -x
    Joint knee = h1.joint("left_knee_joint").orElseThrow();
    assertEquals(new Vec3(0, 1, 0), knee.axis());
    d.q[knee.qIndex()] = Math.PI / 2;
    k.forward(d);
    Vec3 kneePos = d.linkPose("left_knee_link").translation();
    assertVec(kneePos.plus(new Vec3(-0.4, 0, 0)), d.linkPose("left_ankle_link").translation(), 1e-9, "bent ankle");
  }

  /** A second FK from the record types (quaternion composition), as an independent reference. */
  private static Pose3[] referenceFk(RobotModel m, double[] q, Pose3 base) {
    Pose3[] world = new Pose3[m.links().size()];
    world[0] = base;
    for (int j = 0; j < m.joints().size(); j++) {
      Joint joint = m.joints().get(j);
      Pose3 frame = world[m.linkIndex(joint.parent())].times(joint.origin());
      double v = joint.qIndex() >= 0 ? q[joint.qIndex()] : 0;
      Pose3 motion = joint.type() == JointType.PRISMATIC ? new Pose3(joint.axis().times(v), Quat.IDENTITY)
          : joint.type().rotates() ? new Pose3(Vec3.ZERO, Quat.fromAxisAngle(joint.axis(), v)) : Pose3.IDENTITY;
      world[j + 1] = frame.times(motion);
    }
    return world;
  }

  private static double[] randomQ(RobotModel m, Random r) {
    double[] q = new double[m.dof()];
    for (Joint j : m.dofJoints()) {
      double lo = j.limits().hasPositionLimits() ? j.limits().lower() : -Math.PI;
      double hi = j.limits().hasPositionLimits() ? j.limits().upper() : Math.PI;
      q[j.qIndex()] = lo + r.nextDouble() * (hi - lo);
    }
    m.normalize(q);
    return q;
  }

  private static void checkAgainstReference(RobotModel m) {
    Kinematics k = new Kinematics(m);
    KinematicsData d = k.newData();
    Random r = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      double[] q = randomQ(m, r);
      Pose3 base = new Pose3(new Vec3(r.nextGaussian(), r.nextGaussian(), 1),
          Quat.fromRotationVector(new Vec3(r.nextGaussian(), r.nextGaussian(), r.nextGaussian())));
      d.setQ(q);
      d.setBasePose(base);
      k.forward(d);
      Pose3[] ref = referenceFk(m, q, base);
      for (int l = 0; l < ref.length; l++) {
        Pose3 p = d.linkPose(l);
        assertVec(ref[l].translation(), p.translation(), 1e-9, m.name() + " " + m.links().get(l).name());
        assertEquals(0, ref[l].rotation().angleTo(p.rotation()), 1e-6, m.links().get(l).name());
      }
    }
  }

  @Test
  void fkOfRealH1AndG1MatchesAnIndependentComposition() {
    checkAgainstReference(UrdfLoader.load(SharedRobots.h1()));
    checkAgainstReference(UrdfLoader.load(SharedRobots.g1()));
  }

  @Test
  void fkOfOptimusMatchesAnIndependentCompositionAndStandsOnItsFeet() {
    RobotModel m = Robots.load("optimus");
    checkAgainstReference(m);
    Kinematics k = new Kinematics(m);
    KinematicsData d = k.newData();
    k.forward(d);
    double sole = d.linkPose("left_foot").translation().z();
    assertEquals(sole, d.linkPose("right_foot").translation().z(), 1e-12);
    double headTop = d.linkPose("head").translation().z() + 0.08 + 0.09; // capsule centre + radius
    assertEquals(1.73, headTop - sole, 0.03, "standing height");
    // head camera optical frame: z forward (+x), x right (-y), y down (-z)
    Pose3 cam = d.linkPose("head_camera");
    assertVec(Vec3.UNIT_X, cam.rotation().rotate(Vec3.UNIT_Z), 1e-9, "camera z");
    assertVec(new Vec3(0, -1, 0), cam.rotation().rotate(Vec3.UNIT_X), 1e-9, "camera x");
    // palm frame: z out of the palm (towards the body at zero), x along the fingers (down)
    Pose3 palm = d.linkPose("left_palm");
    assertVec(new Vec3(0, -1, 0), palm.rotation().rotate(Vec3.UNIT_Z), 1e-9, "left palm normal");
    assertVec(new Vec3(0, 0, -1), palm.rotation().rotate(Vec3.UNIT_X), 1e-9, "left palm x");
    // mimic joints follow their source through FK
    int pip = m.qIndex("left_index_pip_joint"), dip = m.qIndex("left_index_dip_joint");
    d.q[pip] = 1.0;
    d.q[dip] = 0;
    k.forward(d);
    assertEquals(0.8, d.q[dip], 1e-12);
  }

  @Test
  void centerOfMassIsTheMassWeightedMeanOfLinkCentres() {
    RobotModel m = Robots.load("optimus");
    Kinematics k = new Kinematics(m);
    KinematicsData d = k.newData();
    Random r = new Random(3);
    d.setQ(randomQ(m, r));
    k.forward(d);
    k.centerOfMass(d);
    Vec3 sum = Vec3.ZERO;
    double mass = 0;
    for (int l = 0; l < m.links().size(); l++) {
      Link link = m.links().get(l);
      sum = sum.plus(d.linkPose(l).transform(link.inertial().origin().translation()).times(link.inertial().mass()));
      mass += link.inertial().mass();
    }
    assertVec(sum.times(1 / mass), d.centerOfMass(), 1e-9, "com");
  }

  private static void checkJacobians(RobotModel m, long seed) {
    Kinematics k = new Kinematics(m);
    KinematicsData d = k.newData();
    KinematicsData e = k.newData();
    Random r = new Random(seed);
    int nq = m.dof();
    int cols = nq + 6;
    double h = 1e-6;
    for (int trial = 0; trial < 5; trial++) {
      double[] q = randomQ(m, r);
      d.setQ(q);
      d.setBasePose(new Pose3(new Vec3(0.1, -0.2, 0.9), Quat.fromRpy(0.1, -0.2, 0.3)));
      k.forward(d);
      k.centerOfMass(d);
      for (int l = 1; l < m.links().size(); l += 3) {
        double[] local = {r.nextGaussian() * 0.05, r.nextGaussian() * 0.05, r.nextGaussian() * 0.05};
        double[] pw = new double[3];
        k.pointInWorld(d, l, local[0], local[1], local[2], pw, 0);
        double[] jac = new double[6 * cols];
        k.jacobian(d, l, pw[0], pw[1], pw[2], jac, cols, 0, nq);
        double[] jcom = new double[3 * cols];
        k.comJacobian(d, jcom, cols, 0, nq);
        Quat r0 = k.linkQuat(d, l);
        for (int c = 0; c < cols; c++) {
          if (c < nq && k.isMimic(c)) {
            for (int row = 0; row < 6; row++) {
              assertEquals(0, jac[row * cols + c], 0, "mimic columns are folded into their source");
            }
            continue;
          }
          e.copyFrom(d);
          if (c < nq) {
            e.q[c] += h;
          } else if (c < nq + 3) {
            e.basePosition[c - nq] += h;
          } else {
            Quat base = Quat.fromMatrix(d.baseRotation, 0);
            double[] w = new double[3];
            w[c - nq - 3] = h;
            Quat.fromRotationVector(new Vec3(w[0], w[1], w[2])).times(base).toMatrix(e.baseRotation, 0);
          }
          k.forward(e);
          k.centerOfMass(e);
          double[] pe = new double[3];
          k.pointInWorld(e, l, local[0], local[1], local[2], pe, 0);
          Vec3 dw = r0.inverse().times(k.linkQuat(e, l)).toRotationVector();
          dw = r0.rotate(dw); // body-frame delta to world frame
          double[] fd = {(pe[0] - pw[0]) / h, (pe[1] - pw[1]) / h, (pe[2] - pw[2]) / h, dw.x() / h, dw.y() / h, dw.z() / h};
          for (int row = 0; row < 6; row++) {
            assertEquals(fd[row], jac[row * cols + c], 2e-5,
                m.name() + " link " + m.links().get(l).name() + " row " + row + " col " + c);
          }
          for (int row = 0; row < 3; row++) {
            assertEquals((e.com[row] - d.com[row]) / h, jcom[row * cols + c], 2e-5, "com row " + row + " col " + c);
          }
        }
      }
    }
  }

  @Test
  void jacobiansMatchFiniteDifferencesOnOptimus() {
    checkJacobians(Robots.load("optimus"), 11);
  }

  @Test
  void jacobiansMatchFiniteDifferencesOnG1() {
    checkJacobians(UrdfLoader.load(SharedRobots.g1()), 12);
  }
}
