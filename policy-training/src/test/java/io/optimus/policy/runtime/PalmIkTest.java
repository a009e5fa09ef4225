package io.optimus.policy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.Normalizer;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.data.PalmPoses;
import io.optimus.policy.data.SampleWindows;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The palm-pose actions ({@code "action": "palms"}): their training labels and the run-time IK, on the real robot model. */
class PalmIkTest {
  static RobotRig rig;
  static List<String> joints;

  @BeforeAll
  static void load() {
    rig = new RobotRig(Robots.load(PalmPoses.ROBOT));
    joints = rig.model().dofJoints().stream().map(Joint::name).toList();
  }

  /** Home with every arm joint moved by a different amount (inside the arm's range for such small offsets). */
  private static float[] bentArms(PalmIk ik) {
    float[] q = home();
    for (int h = 0; h < 2; h++) {
      int[] arm = ik.armJoints(h);
      for (int k = 0; k < arm.length; k++) {
        q[arm[k]] += (float) ((k % 2 == 0 ? 0.3 : -0.25) + 0.05 * h);
      }
    }
    return q;
  }

  private static float[] home() {
    double[] home = rig.home();
    float[] q = new float[joints.size()];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) home[rig.model().qIndex(joints.get(i))];
    }
    return q;
  }

  @Test
  void ikOfAnFkPalmPoseReachesItWithinAMillimetre() {
    PalmIk ik = new PalmIk(rig, joints);
    assertTrue(ik.armJoints(0).length >= 5 && ik.armJoints(1).length >= 5,
        "arm joints: " + ik.armJoints(0).length + ", " + ik.armJoints(1).length);
    float[] goalQ = bentArms(ik);
    float[] goal = new float[PalmPoses.SIZE];
    PalmPoses fk = new PalmPoses(rig, joints);
    fk.compute(goalQ, goal, 0);

    float[] q = home(); // start far from the goal: about 0.3 rad on every arm joint
    float[] before = new float[PalmPoses.SIZE];
    fk.compute(q, before, 0);
    assertTrue(Math.abs(before[0] - goal[0]) + Math.abs(before[1] - goal[1]) + Math.abs(before[2] - goal[2]) > 0.05,
        "the start is not already at the goal");
    double left = ik.solve(q, goal, 0, 60);
    float[] got = new float[PalmPoses.SIZE];
    fk.compute(q, got, 0);
    for (int h = 0; h < 2; h++) {
      int o = h * PalmPoses.PER_HAND;
      double d = Math.sqrt(sq(got[o] - goal[o]) + sq(got[o + 1] - goal[o + 1]) + sq(got[o + 2] - goal[o + 2]));
      assertTrue(d < 1e-3, "hand " + h + ": palm " + d * 1000 + " mm from the goal");
      for (int c = 0; c < 2; c++) {
        double dot = got[o + 3 + 3 * c] * goal[o + 3 + 3 * c] + got[o + 4 + 3 * c] * goal[o + 4 + 3 * c]
            + got[o + 5 + 3 * c] * goal[o + 5 + 3 * c];
        assertTrue(dot > 0.999, "hand " + h + " rotation column " + c + ": cos " + dot);
      }
    }
    assertTrue(left < 1e-3, "reported residual " + left);
    // only arm joints moved
    float[] h0 = home();
    for (int i = 0; i < q.length; i++) {
      if (!contains(ik.armJoints(0), i) && !contains(ik.armJoints(1), i)) {
        assertEquals(h0[i], q[i], 0, joints.get(i) + " is not an arm joint and must keep its value");
      }
    }
  }

  @Test
  void trainingLabelsOfASampleAreTheFkOfItsCommandedJoints() {
    PalmIk ik = new PalmIk(rig, joints);
    int n = joints.size();
    float[][] commanded = {home(), bentArms(ik), home()};
    commanded[2][ik.armJoints(1)[0]] -= 0.4f;
    float[][] q = {home(), home(), home()};
    float[][] dq = new float[3][n];
    EpisodeData e = new EpisodeData("e", q, dq, commanded, null, true);
    List<EpisodeData> labelled = new PalmPoses(rig, joints).label(List.of(e));
    ObservationLayout layout = new ObservationLayout(n, 0, false, 2, null).withExtraActions(PalmPoses.SIZE);
    Normalizer norm = Normalizer.fit(labelled, null);
    SampleWindows windows = new SampleWindows(labelled, layout, norm);
    float[] actions = new float[layout.actionSize()];
    float[] decoded = new float[layout.actionSize()];
    windows.fill(new int[] {1}, 0, 1, new float[layout.stateSize()], null, actions);
    layout.decodeActions(norm, actions, decoded);

    KinematicsData kin = rig.kinematics().newData();
    double[] rigQ = rig.home();
    int[] palms = {rig.left().palmLink(), rig.right().palmLink()};
    int w = layout.actionWidth();
    for (int h = 0; h < 2; h++) { // the chunk's two steps: ticks 1 and 2
      float[] c = commanded[1 + h];
      for (int i = 0; i < n; i++) {
        rigQ[rig.model().qIndex(joints.get(i))] = c[i];
        assertEquals(c[i], decoded[h * w + i], 1e-4, "joint target " + joints.get(i));
      }
      kin.setQ(rigQ);
      rig.forwardOnStand(kin);
      for (int p = 0; p < 2; p++) {
        int l = palms[p];
        int o = h * w + n + p * PalmPoses.PER_HAND;
        for (int k = 0; k < 3; k++) {
          assertEquals(kin.linkPosition[3 * l + k], decoded[o + k], 1e-4, "palm " + p + " position " + k);
          assertEquals(kin.linkRotation[9 * l + 3 * k], decoded[o + 3 + k], 1e-4, "palm " + p + " column 0 row " + k);
          assertEquals(kin.linkRotation[9 * l + 3 * k + 1], decoded[o + 6 + k], 1e-4, "palm " + p + " column 1 row " + k);
        }
      }
    }
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static double sq(double x) {
    return x * x;
  }
}
