package io.optimus.motion.kinematics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import java.util.Random;
import org.apache.commons.math3.geometry.euclidean.threed.Rotation;
import org.junit.jupiter.api.Test;

/** Link quaternions kept beside the link matrices: one per forward, right after every kind of FK. */
class LinkQuaternionTest {
  /** The Hamilton quaternion (w >= 0) of link l's matrix, from Commons Math (whose q1..q3 are conjugated). */
  private static double[] oracle(KinematicsData d, int l) {
    double[] r = d.linkRotation;
    int o = 9 * l;
    Rotation rot = new Rotation(new double[][] {{r[o], r[o + 1], r[o + 2]}, {r[o + 3], r[o + 4], r[o + 5]},
        {r[o + 6], r[o + 7], r[o + 8]}}, 1e-9);
    double s = rot.getQ0() < 0 ? -1 : 1;
    return new double[] {s * rot.getQ0(), -s * rot.getQ1(), -s * rot.getQ2(), -s * rot.getQ3()};
  }

  private static void assertAllLinks(KinematicsData d, String when) {
    double[] q = new double[4];
    for (int l = 0; l < d.model().links().size(); l++) {
      d.linkQuat(l, q, 0);
      assertArrayEquals(oracle(d, l), q, 1e-9, when + ": link " + d.model().links().get(l).name());
      assertTrue(q[0] >= 0);
      Quat v = d.linkPose(l).rotation();
      assertArrayEquals(q, new double[] {v.w(), v.x(), v.y(), v.z()}, 0, "linkPose uses the same quaternion");
    }
  }

  @Test
  void quaternionsFollowEveryForwardAndSubtreeForward() {
    RobotModel m = Robots.load("optimus");
    Kinematics k = new Kinematics(m);
    KinematicsData d = k.newData();
    Random rnd = new Random(11);
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < d.q.length; i++) {
        d.q[i] = (2 * rnd.nextDouble() - 1) * 1.5;
      }
      d.setBasePose(new io.optimus.motion.geometry.Pose3(io.optimus.motion.geometry.Vec3.ZERO,
          Quat.fromRpy(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian())));
      k.forward(d);
      assertAllLinks(d, "forward " + round); // read after each forward: a stale copy would fail here
    }
    // a subtree forward (the hand retargeter's) moves only the hand: its quaternions follow too
    int palm = m.linkIndex("left_palm");
    int root = m.parentLinkOf(m.jointIndex("left_index_mcp_joint"));
    double[] before = d.linkQuats().clone();
    int pip = m.qIndex("left_index_pip_joint");
    d.q[pip] += 0.7;
    k.forwardSubtree(d, root);
    assertAllLinks(d, "subtree forward");
    int moved = 0;
    for (int i = 0; i < before.length; i++) {
      moved += before[i] != d.linkQuats()[i] ? 1 : 0;
    }
    assertTrue(moved > 0, "the finger links turned");
    KinematicsData copy = k.newData();
    copy.copyFrom(d);
    assertArrayEquals(d.linkQuats(), copy.linkQuats(), 0, "copied with the state");
    assertEquals(d.linkPose(palm), copy.linkPose(palm));
  }
}
