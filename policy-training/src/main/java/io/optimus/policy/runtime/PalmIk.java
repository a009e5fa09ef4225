package io.optimus.policy.runtime;

import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.policy.data.PalmPoses;
import java.util.List;

/**
 * Each arm's joints for a palm pose ({@link PalmPoses}' layout: position, rotation columns 0 and 1, on the
 * stand), by damped least squares over the joints on that palm's kinematic chain that are not on the
 * other palm's (the arm, not the torso), from a starting configuration. A {@code "action": "palms"}
 * policy's run-time half: a palm error stays a palm error instead of compounding through the arm's
 * joints. Allocation-free after construction; not thread-safe.
 */
public final class PalmIk {
  /** Metres of position error per radian of orientation error in the solve (orientation matters less). */
  static final double ROTATION_WEIGHT = 0.2;
  static final double DAMPING = 0.02;
  /** Largest joint step per iteration (rad): keeps a far target from throwing the arm. */
  static final double MAX_STEP = 0.2;

  private final RobotRig rig;
  private final KinematicsData kin;
  private final double[] rigQ;
  private final int[] rigIndex; // policy joint -> rig q index (-1: not a rig joint)
  private final int[] palms;
  private final int[][] armQ; // per hand: rig q indices of the arm's joints
  private final int[][] armPolicy; // per hand: the same joints' policy indices
  private final double[] jac;
  private final double[] jArm;
  private final double[] a = new double[36];
  private final double[] e = new double[6];
  private final double[] y = new double[6];
  private final double[] goal = new double[9];
  private double[] lower;
  private double[] upper;

  /** @param joints the policy's joint names, in its order */
  public PalmIk(RobotRig rig, List<String> joints) {
    this.rig = rig;
    this.kin = rig.kinematics().newData();
    this.rigQ = rig.home();
    this.rigIndex = rig.model().qIndices(joints);
    palms = new int[] {rig.left().palmLink(), rig.right().palmLink()};
    armQ = new int[2][];
    armPolicy = new int[2][];
    var model = rig.model();
    int maxArm = 0;
    for (int h = 0; h < 2; h++) {
      java.util.Set<Integer> other = new java.util.HashSet<>();
      for (int j : rig.kinematics().chainOf(palms[1 - h])) {
        other.add(j);
      }
      java.util.List<Integer> q = new java.util.ArrayList<>();
      java.util.List<Integer> p = new java.util.ArrayList<>();
      for (int j : rig.kinematics().chainOf(palms[h])) {
        int qi = model.qIndex(model.joints().get(j).name());
        int pi = indexOf(rigIndex, qi);
        if (!other.contains(j) && qi >= 0 && pi >= 0) {
          q.add(qi);
          p.add(pi);
        }
      }
      armQ[h] = q.stream().mapToInt(Integer::intValue).toArray();
      armPolicy[h] = p.stream().mapToInt(Integer::intValue).toArray();
      maxArm = Math.max(maxArm, q.size());
    }
    jac = new double[6 * rigQ.length];
    jArm = new double[6 * maxArm];
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** The policy indices of each arm's joints (left, right): what {@link #solve} changes. */
  public int[] armJoints(int hand) {
    return armPolicy[hand].clone();
  }

  /** Position limits per policy joint (NaN or infinite: unbounded); null: none. */
  public void limits(double[] lower, double[] upper) {
    this.lower = lower;
    this.upper = upper;
  }

  /**
   * Solves both arms: {@code q} (policy order) holds the configuration to keep for every other joint
   * and the start for the arm joints, which are replaced by the solution. {@code palmTargets[offset..]}
   * holds the {@link PalmPoses#SIZE} numbers (the rotation columns need not be orthonormal). Returns
   * the larger remaining palm position error (m).
   */
  public double solve(float[] q, float[] palmTargets, int offset, int iterations) {
    for (int i = 0; i < rigIndex.length; i++) {
      if (rigIndex[i] >= 0) {
        rigQ[rigIndex[i]] = q[i];
      }
    }
    double worst = 0;
    for (int h = 0; h < 2; h++) {
      orthonormalize(palmTargets, offset + h * PalmPoses.PER_HAND);
      worst = Math.max(worst, solveArm(h, iterations));
      for (int k = 0; k < armQ[h].length; k++) {
        q[armPolicy[h][k]] = (float) rigQ[armQ[h][k]];
      }
    }
    return worst;
  }

  /** Gram-Schmidt of the target's two columns into goal (position, column 0, column 1). */
  private void orthonormalize(float[] t, int o) {
    for (int k = 0; k < 3; k++) {
      goal[k] = t[o + k];
    }
    double n0 = Math.sqrt(t[o + 3] * t[o + 3] + t[o + 4] * t[o + 4] + t[o + 5] * t[o + 5]);
    n0 = n0 > 1e-9 ? n0 : 1;
    for (int k = 0; k < 3; k++) {
      goal[3 + k] = t[o + 3 + k] / n0;
    }
    double d = goal[3] * t[o + 6] + goal[4] * t[o + 7] + goal[5] * t[o + 8];
    double n1 = 0;
    for (int k = 0; k < 3; k++) {
      goal[6 + k] = t[o + 6 + k] - d * goal[3 + k];
      n1 += goal[6 + k] * goal[6 + k];
    }
    n1 = Math.sqrt(n1) > 1e-9 ? Math.sqrt(n1) : 1;
    for (int k = 0; k < 3; k++) {
      goal[6 + k] /= n1;
    }
  }

  private double solveArm(int h, int iterations) {
    int link = palms[h];
    int[] arm = armQ[h];
    int n = arm.length;
    int nq = rigQ.length;
    double err = Double.NaN;
    for (int it = 0; it <= iterations; it++) {
      kin.setQ(rigQ);
      rig.forwardOnStand(kin);
      double[] r = kin.linkRotation;
      int m = 9 * link;
      for (int k = 0; k < 3; k++) {
        e[k] = goal[k] - kin.linkPosition[3 * link + k];
      }
      err = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
      if (it == iterations) {
        break;
      }
      // orientation error 0.5 * sum over columns c_i x g_i (goal's third column = c0 x c1)
      double g2x = goal[4] * goal[8] - goal[5] * goal[7];
      double g2y = goal[5] * goal[6] - goal[3] * goal[8];
      double g2z = goal[3] * goal[7] - goal[4] * goal[6];
      double wx = 0, wy = 0, wz = 0;
      for (int c = 0; c < 3; c++) {
        double cx = r[m + c], cy = r[m + 3 + c], cz = r[m + 6 + c];
        double gx = c == 2 ? g2x : goal[3 + 3 * c], gy = c == 2 ? g2y : goal[4 + 3 * c], gz = c == 2 ? g2z : goal[5 + 3 * c];
        wx += cy * gz - cz * gy;
        wy += cz * gx - cx * gz;
        wz += cx * gy - cy * gx;
      }
      e[3] = 0.5 * wx * ROTATION_WEIGHT;
      e[4] = 0.5 * wy * ROTATION_WEIGHT;
      e[5] = 0.5 * wz * ROTATION_WEIGHT;
      java.util.Arrays.fill(jac, 0);
      int o = 3 * link;
      rig.kinematics().jacobian(kin, link, kin.linkPosition[o], kin.linkPosition[o + 1], kin.linkPosition[o + 2], jac,
          nq, 0, -1);
      for (int row = 0; row < 6; row++) {
        double wgt = row < 3 ? 1 : ROTATION_WEIGHT;
        for (int k = 0; k < n; k++) {
          jArm[row * n + k] = jac[row * nq + arm[k]] * wgt;
        }
      }
      // dq = J^T (J J^T + λ² I)^-1 e
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
          double s = i == j ? DAMPING * DAMPING : 0;
          for (int k = 0; k < n; k++) {
            s += jArm[i * n + k] * jArm[j * n + k];
          }
          a[i * 6 + j] = s;
        }
        y[i] = e[i];
      }
      solve6(a, y);
      for (int k = 0; k < n; k++) {
        double d = 0;
        for (int i = 0; i < 6; i++) {
          d += jArm[i * n + k] * y[i];
        }
        d = Math.max(-MAX_STEP, Math.min(MAX_STEP, d));
        int qi = arm[k];
        double v = rigQ[qi] + d;
        int pi = armPolicy[h][k];
        if (lower != null && Double.isFinite(lower[pi]) && Double.isFinite(upper[pi])) {
          v = Math.max(lower[pi], Math.min(upper[pi], v));
        }
        rigQ[qi] = v;
      }
    }
    return err;
  }

  /** In-place Cholesky solve of the symmetric positive definite 6x6 system a y = b (b in y). */
  private static void solve6(double[] a, double[] y) {
    for (int j = 0; j < 6; j++) {
      double s = a[j * 6 + j];
      for (int k = 0; k < j; k++) {
        s -= a[j * 6 + k] * a[j * 6 + k];
      }
      double d = Math.sqrt(Math.max(s, 1e-12));
      a[j * 6 + j] = d;
      for (int i = j + 1; i < 6; i++) {
        double t = a[i * 6 + j];
        for (int k = 0; k < j; k++) {
          t -= a[i * 6 + k] * a[j * 6 + k];
        }
        a[i * 6 + j] = t / d;
      }
    }
    for (int i = 0; i < 6; i++) {
      double t = y[i];
      for (int k = 0; k < i; k++) {
        t -= a[i * 6 + k] * y[k];
      }
      y[i] = t / a[i * 6 + i];
    }
    for (int i = 5; i >= 0; i--) {
      double t = y[i];
      for (int k = i + 1; k < 6; k++) {
        t -= a[k * 6 + i] * y[k];
      }
      y[i] = t / a[i * 6 + i];
    }
  }
}
