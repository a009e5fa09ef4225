package io.optimus.motion.retarget;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import io.optimus.proto.v1.Pose;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One robot hand driven by the operator's hand.
 *
 * <p>Hand tracking (26-joint OpenXR skeleton): keypoint-vector optimisation as in dex-retargeting
 * (Qin et al., "AnyTeleop", RSS 2023): find finger joints q minimising
 *
 * <pre>  sum_k w_k |v_k^robot(q) - s v_k^human|² + mu |q - q_prev|²,   lower <= q <= upper</pre>
 *
 * over the vectors palm→fingertip (5) and thumb tip→fingertip (4), all in the palm frame, with
 * {@code s} = robot/human hand length. Fingertip-to-thumb vectors make the thumb reach the fingers
 * whatever the robot thumb's kinematics (no human joint angles are copied, so a non-human thumb —
 * different axes, joint count or placement — is mapped by where its tip must go). When a human
 * pinch is closed (thumb-finger gap under {@value #PINCH_DISTANCE} m) its vector is weighted up and
 * not scaled, so the robot pinch closes too. Solved by a few projected Gauss-Newton steps
 * warm-started from the previous solution (subtree FK only: microseconds).
 *
 * <p>Controllers: the trigger closes the whole hand (joints towards their upper limit); squeeze is
 * the operator's deadman and never moves the fingers (see {@link #retargetController}).
 *
 * <p>Palm frame (human and robot): x along the fingers, z out of the palm. OpenXR hand joints have
 * -Z towards the fingertips and +Y on the back of the hand; after the client's axis map that is
 * +x and +z of the operator-frame joint pose. Not thread-safe; does not allocate per call.
 */
public final class HandRetargeter {
  /** Thumb-to-finger distance below which a pinch counts as closed, m. */
  public static final double PINCH_DISTANCE = 0.03;
  private static final String[] FINGERS = {"thumb", "index", "middle", "ring", "little"};
  /** OpenXR XrHandJointEXT indices of the tips, thumb first, and of the middle finger chain. */
  private static final int[] XR_TIPS = {5, 10, 15, 20, 25};
  private static final int[] XR_MIDDLE_CHAIN = {0, 12, 13, 14, 15};
  private static final int ITERATIONS = 3;
  private static final double MU = 2e-3;
  private static final double DAMPING = 1e-6;

  private final Kinematics kin;
  private final HandSide side;
  private final boolean present;
  private final int root;
  private final int palm;
  private final int[] tips = new int[5]; // -1 if that finger is absent
  private final int[] vars; // q indices of the independent hand joints
  private final double[] lower;
  private final double[] upper;
  private final double[] openQ;
  private final double[] closedQ;
  private final int[] role; // 0 thumb, 1 index, 2 other fingers
  private final KinematicsData d;
  private final double robotLength;
  // work
  private final double[] human = new double[27];
  private final double[] robot = new double[15];
  private final double[] weights = new double[9];
  private final double[] jac;
  private final double[] jRows;
  private final double[] h;
  private final double[] g;
  private final double[] prev;
  private final double[] palmR = new double[9];
  private final double[] tmp = new double[3];

  public HandRetargeter(Kinematics kin, HandSide side) {
    this.kin = kin;
    this.side = side;
    RobotModel m = kin.model();
    int palmIdx = m.linkIndex(side.prefix() + "_palm");
    List<Integer> v = new ArrayList<>();
    for (Joint j : m.dofJoints()) {
      if (!j.isMimic() && j.group().equals(side.prefix() + "_hand")) {
        v.add(j.qIndex());
      }
    }
    int found = 0;
    for (int f = 0; f < 5; f++) {
      tips[f] = m.linkIndex(side.prefix() + "_" + FINGERS[f] + "_tip");
      found += tips[f] >= 0 ? 1 : 0;
    }
    present = palmIdx > 0 && !v.isEmpty() && found > 0;
    palm = palmIdx;
    root = present ? m.linkIndex(m.joints().get(palmIdx - 1).parent()) : 0;
    vars = v.stream().mapToInt(Integer::intValue).toArray();
    int n = vars.length;
    lower = new double[n];
    upper = new double[n];
    openQ = new double[n];
    closedQ = new double[n];
    role = new int[n];
    for (int i = 0; i < n; i++) {
      Joint j = m.dofJoints().get(vars[i]);
      lower[i] = j.limits().lower();
      upper[i] = j.limits().upper();
      String name = j.name().toLowerCase(Locale.ROOT);
      role[i] = name.contains("thumb") ? 0 : name.contains("index") ? 1 : 2;
      openQ[i] = j.limits().clamp(0);
      closedQ[i] = lower[i] + 0.85 * (upper[i] - lower[i]);
    }
    d = kin.newData();
    jac = new double[6 * m.dof()];
    jRows = new double[27 * Math.max(n, 1)];
    h = new double[n * n];
    g = new double[n];
    prev = new double[n];
    if (present) {
      // work in the hand link's frame: its pose is the identity, only its subtree is computed
      int r9 = 9 * root;
      d.linkRotation[r9] = 1;
      d.linkRotation[r9 + 4] = 1;
      d.linkRotation[r9 + 8] = 1;
      kin.forwardSubtree(d, root);
      palmFrame();
      int mid = tips[2] >= 0 ? tips[2] : firstTip();
      robotLength = vectorInPalm(mid, tmp);
    } else {
      robotLength = 0;
    }
  }

  public HandSide side() {
    return side;
  }

  /** False when the model has no articulated hand on this side (e.g. the G1 URDF): calls do nothing. */
  public boolean present() {
    return present;
  }

  /** q indices of the independent finger joints this retargeter sets. */
  public int[] joints() {
    return vars.clone();
  }

  /** Robot palm to middle fingertip with the fingers straight, m. */
  public double robotHandLength() {
    return robotLength;
  }

  private int firstTip() {
    for (int t : tips) {
      if (t >= 0) {
        return t;
      }
    }
    return palm;
  }

  /**
   * Sets the finger joints in {@code q} (full q array, other entries untouched, mimic entries
   * updated) from a hand skeleton. Returns false (q untouched) if the skeleton is inactive,
   * incomplete or non-finite.
   */
  public boolean retarget(HandSkeleton hand, double[] q) {
    if (!present || !hand.getActive() || hand.getJointsCount() != 26 || !readHuman(hand)) {
      return false;
    }
    int n = vars.length;
    for (int i = 0; i < n; i++) {
      double x = q[vars[i]];
      d.q[vars[i]] = Double.isFinite(x) ? Math.max(lower[i], Math.min(upper[i], x)) : openQ[i];
      prev[i] = d.q[vars[i]];
    }
    for (int it = 0; it < ITERATIONS; it++) {
      step();
    }
    for (int i = 0; i < n; i++) {
      q[vars[i]] = d.q[vars[i]];
    }
    kin.applyMimic(q);
    return true;
  }

  /**
   * Controller-only operators: trigger [0, 1] closes the whole hand (thumb and all fingers).
   * {@code squeeze} is deliberately ignored: it is the operator's deadman (held at >= 0.7 the whole
   * time the robot moves), so closing fingers with it would keep the hand at ~0.8 closure and spend
   * the task world's grasp (a rising closure edge) the moment the operator engages, far from any
   * object. Kept as a parameter so callers pass the controller state unchanged.
   */
  public void retargetController(double trigger, double squeeze, double[] q) {
    if (!present) {
      return;
    }
    double t = clamp01(trigger);
    for (int i = 0; i < vars.length; i++) {
      q[vars[i]] = openQ[i] + t * (closedQ[i] - openQ[i]);
    }
    kin.applyMimic(q);
  }

  private static double clamp01(double x) {
    return Double.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0;
  }

  /** Human palm-frame vectors and weights; false if any needed joint is invalid. */
  private boolean readHuman(HandSkeleton hand) {
    HandJoint p = hand.getJoints(0);
    if (!p.getPositionValid() || !p.getOrientationValid()) {
      return false;
    }
    Pose pose = p.getPose();
    double qw = pose.getOrientation().getW(), qx = pose.getOrientation().getX();
    double qy = pose.getOrientation().getY(), qz = pose.getOrientation().getZ();
    double nrm = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
    if (!(nrm > 1e-6) || !Double.isFinite(nrm)) {
      return false;
    }
    qw /= nrm;
    qx /= nrm;
    qy /= nrm;
    qz /= nrm;
    // columns of the palm frame: joint x, -joint y, -joint z
    double xx = 1 - 2 * (qy * qy + qz * qz), xy = 2 * (qx * qy + qw * qz), xz = 2 * (qx * qz - qw * qy);
    double yx = -(2 * (qx * qy - qw * qz)), yy = -(1 - 2 * (qx * qx + qz * qz)), yz = -(2 * (qy * qz + qw * qx));
    double zx = -(2 * (qx * qz + qw * qy)), zy = -(2 * (qy * qz - qw * qx)), zz = -(1 - 2 * (qx * qx + qy * qy));
    double px = pose.getPosition().getX(), py = pose.getPosition().getY(), pz = pose.getPosition().getZ();
    double humanLength = 0;
    for (int k = 1; k < XR_MIDDLE_CHAIN.length; k++) {
      HandJoint a = hand.getJoints(XR_MIDDLE_CHAIN[k - 1]), b = hand.getJoints(XR_MIDDLE_CHAIN[k]);
      double dx = b.getPose().getPosition().getX() - a.getPose().getPosition().getX();
      double dy = b.getPose().getPosition().getY() - a.getPose().getPosition().getY();
      double dz = b.getPose().getPosition().getZ() - a.getPose().getPosition().getZ();
      humanLength += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    if (!(humanLength > 0.03 && humanLength < 0.4)) {
      return false;
    }
    double s = robotLength / humanLength;
    for (int f = 0; f < 5; f++) {
      HandJoint t = hand.getJoints(XR_TIPS[f]);
      if (!t.getPositionValid()) {
        return false;
      }
      double dx = t.getPose().getPosition().getX() - px;
      double dy = t.getPose().getPosition().getY() - py;
      double dz = t.getPose().getPosition().getZ() - pz;
      double vx = xx * dx + xy * dy + xz * dz, vy = yx * dx + yy * dy + yz * dz, vz = zx * dx + zy * dy + zz * dz;
      if (!Double.isFinite(vx + vy + vz)) {
        return false;
      }
      human[3 * f] = vx;
      human[3 * f + 1] = vy;
      human[3 * f + 2] = vz;
    }
    // pinch vectors thumb tip -> finger tip, before scaling
    for (int f = 1; f < 5; f++) {
      int o = 3 * (4 + f);
      double vx = human[3 * f] - human[0], vy = human[3 * f + 1] - human[1], vz = human[3 * f + 2] - human[2];
      double dist = Math.sqrt(vx * vx + vy * vy + vz * vz);
      boolean pinch = dist < PINCH_DISTANCE;
      double k = pinch ? 0.3 : s; // closed pinch: close the robot's too
      human[o] = vx * k;
      human[o + 1] = vy * k;
      human[o + 2] = vz * k;
      weights[4 + f] = tips[0] >= 0 && tips[f] >= 0 ? (pinch ? 8 : 0.5) : 0;
    }
    for (int f = 0; f < 5; f++) {
      human[3 * f] *= s;
      human[3 * f + 1] *= s;
      human[3 * f + 2] *= s;
      weights[f] = tips[f] >= 0 ? 1 : 0;
    }
    return true;
  }

  /** One projected Gauss-Newton step of the keypoint-vector problem. */
  private void step() {
    int n = vars.length;
    kin.applyMimic(d.q);
    kin.forwardSubtree(d, root);
    int nq = kin.model().dof();
    // Jacobian rows (palm frame) of each tip position, over the hand unknowns
    for (int f = 0; f < 5; f++) {
      if (tips[f] < 0) {
        continue;
      }
      Arrays.fill(jac, 0, 3 * nq, 0);
      int l = tips[f];
      kin.jacobian(d, l, d.linkPosition[3 * l], d.linkPosition[3 * l + 1], d.linkPosition[3 * l + 2], jac, nq, 0, -1);
      for (int r = 0; r < 3; r++) {
        for (int i = 0; i < n; i++) {
          // palm rotation is constant in the hand frame: rows = R_palm^T J
          int c = vars[i];
          jRows[(3 * f + r) * n + i] = palmR[r] * jac[c] + palmR[3 + r] * jac[nq + c] + palmR[6 + r] * jac[2 * nq + c];
        }
      }
    }
    Arrays.fill(h, 0);
    Arrays.fill(g, 0);
    for (int f = 0; f < 5; f++) {
      if (tips[f] >= 0) {
        vectorInPalm(tips[f], tmp);
        robot[3 * f] = tmp[0];
        robot[3 * f + 1] = tmp[1];
        robot[3 * f + 2] = tmp[2];
      }
    }
    for (int k = 0; k < 9; k++) {
      double w = weights[k];
      if (w == 0) {
        continue;
      }
      for (int r = 0; r < 3; r++) {
        double res;
        int rowA;
        int rowB = -1;
        if (k < 5) {
          res = human[3 * k + r] - robot[3 * k + r];
          rowA = 3 * k + r;
        } else {
          int f = k - 4;
          res = human[3 * k + r] - (robot[3 * f + r] - robot[r]);
          rowA = 3 * f + r;
          rowB = r; // minus the thumb's row
        }
        for (int i = 0; i < n; i++) {
          double ji = jRows[rowA * n + i] - (rowB >= 0 ? jRows[rowB * n + i] : 0);
          if (ji == 0) {
            continue;
          }
          g[i] += w * ji * res;
          for (int j = 0; j < n; j++) {
            double jj = jRows[rowA * n + j] - (rowB >= 0 ? jRows[rowB * n + j] : 0);
            h[i * n + j] += w * ji * jj;
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      h[i * n + i] += MU + DAMPING;
      g[i] += MU * (prev[i] - d.q[vars[i]]);
    }
    if (DenseCholesky.factor(h, n, n)) {
      DenseCholesky.solve(h, n, n, g);
      for (int i = 0; i < n; i++) {
        double x = d.q[vars[i]] + (Double.isFinite(g[i]) ? g[i] : 0);
        d.q[vars[i]] = x < lower[i] ? lower[i] : (x > upper[i] ? upper[i] : x);
      }
    }
  }

  private void palmFrame() {
    System.arraycopy(d.linkRotation, 9 * palm, palmR, 0, 9);
  }

  /** Link origin relative to the palm, in the palm frame; returns its length. */
  private double vectorInPalm(int l, double[] out) {
    double dx = d.linkPosition[3 * l] - d.linkPosition[3 * palm];
    double dy = d.linkPosition[3 * l + 1] - d.linkPosition[3 * palm + 1];
    double dz = d.linkPosition[3 * l + 2] - d.linkPosition[3 * palm + 2];
    out[0] = palmR[0] * dx + palmR[3] * dy + palmR[6] * dz;
    out[1] = palmR[1] * dx + palmR[4] * dy + palmR[7] * dz;
    out[2] = palmR[2] * dx + palmR[5] * dy + palmR[8] * dz;
    return Math.sqrt(out[0] * out[0] + out[1] * out[1] + out[2] * out[2]);
  }

  /** Palm-frame vector palm → fingertip {@code finger} (0 thumb .. 4 little) for the given q; for tests and tools. */
  public double[] fingertipInPalm(double[] q, int finger) {
    System.arraycopy(q, 0, d.q, 0, q.length);
    kin.applyMimic(d.q);
    kin.forwardSubtree(d, root);
    double[] out = new double[3];
    vectorInPalm(tips[finger], out);
    return out;
  }
}
