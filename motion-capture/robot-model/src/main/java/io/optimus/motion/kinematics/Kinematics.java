package io.optimus.motion.kinematics;

import io.optimus.motion.geometry.Quat;
import io.optimus.motion.model.Inertial;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.JointType;
import io.optimus.motion.model.RobotModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward kinematics, geometric Jacobians and centre of mass of one {@link RobotModel}, compiled
 * into flat arrays. Immutable and thread-safe; all state lives in {@link KinematicsData}; no method
 * allocates.
 *
 * <p>Mimic joints are not free: {@link #forward} first sets each to {@code multiplier * q[source] + offset},
 * so Jacobian columns of mimic joints are zero and their motion is folded into the source's column
 * (the true derivative of FK).
 *
 * <p>Jacobian layout: row-major 6 x {@code cols}; rows 0-2 the world linear velocity of the point,
 * rows 3-5 the world angular velocity; column {@code colOffset + i} for q[i]. Floating-base columns
 * (world linear then angular velocity of the root) go to {@code baseCol..baseCol+5} when baseCol >= 0.
 */
public final class Kinematics {
  private static final int REVOLUTE = 0, PRISMATIC = 1, FIXED = 2;

  private final RobotModel model;
  private final int nl;
  private final int nj;
  private final int nq;
  private final int[] parentLink;
  private final int[] type;
  private final int[] qIndex;
  private final double[] originR;
  private final double[] originP;
  private final double[] axis;
  private final double[] mass;
  private final double[] comLocal;
  private final double totalMass;
  /** Per link: the moving joints from the root down to it. */
  private final int[][] chain;
  /** Per q: source q index and coupling (self, 1, 0 for independent joints). */
  private final int[] mimicSource;
  private final double[] mimicMul;
  private final double[] mimicOff;
  /** Per q: the joint index in model.joints(). */
  private final int[] jointOfQ;
  /** Per link: links in its subtree, itself included (a contiguous range in depth-first order). */
  private final int[] subtreeSize;

  public Kinematics(RobotModel model) {
    this.model = model;
    List<Joint> joints = model.joints();
    nl = model.links().size();
    nj = joints.size();
    nq = model.dof();
    parentLink = new int[nj];
    type = new int[nj];
    qIndex = new int[nj];
    originR = new double[nj * 9];
    originP = new double[nj * 3];
    axis = new double[nj * 3];
    jointOfQ = new int[nq];
    for (int j = 0; j < nj; j++) {
      Joint joint = joints.get(j);
      parentLink[j] = model.parentLinkOf(j);
      type[j] = joint.type() == JointType.FIXED ? FIXED : joint.type() == JointType.PRISMATIC ? PRISMATIC : REVOLUTE;
      qIndex[j] = joint.qIndex();
      if (qIndex[j] >= 0) {
        jointOfQ[qIndex[j]] = j;
      }
      joint.origin().rotation().normalized().toMatrix(originR, 9 * j);
      originP[3 * j] = joint.origin().translation().x();
      originP[3 * j + 1] = joint.origin().translation().y();
      originP[3 * j + 2] = joint.origin().translation().z();
      axis[3 * j] = joint.axis().x();
      axis[3 * j + 1] = joint.axis().y();
      axis[3 * j + 2] = joint.axis().z();
    }
    mass = new double[nl];
    comLocal = new double[nl * 3];
    double m = 0;
    for (int l = 0; l < nl; l++) {
      Inertial in = model.links().get(l).inertial();
      mass[l] = in.mass();
      comLocal[3 * l] = in.origin().translation().x();
      comLocal[3 * l + 1] = in.origin().translation().y();
      comLocal[3 * l + 2] = in.origin().translation().z();
      m += in.mass();
    }
    totalMass = m;
    chain = new int[nl][];
    chain[0] = new int[0];
    for (int l = 1; l < nl; l++) {
      int j = l - 1;
      int[] up = chain[parentLink[j]];
      if (type[j] == FIXED) {
        chain[l] = up;
      } else {
        int[] c = java.util.Arrays.copyOf(up, up.length + 1);
        c[up.length] = j;
        chain[l] = c;
      }
    }
    subtreeSize = new int[nl];
    for (int l = nl - 1; l >= 0; l--) {
      subtreeSize[l] += 1;
      if (l > 0) {
        subtreeSize[parentLink[l - 1]] += subtreeSize[l];
      }
    }
    mimicSource = new int[nq];
    mimicMul = new double[nq];
    mimicOff = new double[nq];
    for (Joint joint : model.dofJoints()) {
      int i = joint.qIndex();
      if (joint.isMimic()) {
        mimicSource[i] = model.qIndex(joint.mimic().joint());
        mimicMul[i] = joint.mimic().multiplier();
        mimicOff[i] = joint.mimic().offset();
      } else {
        mimicSource[i] = i;
        mimicMul[i] = 1;
      }
    }
  }

  public RobotModel model() {
    return model;
  }

  public KinematicsData newData() {
    return new KinematicsData(model);
  }

  public double totalMass() {
    return totalMass;
  }

  /** True if q[i] follows another joint. */
  public boolean isMimic(int i) {
    return mimicSource[i] != i;
  }

  /** Source index in q of q[i] (i itself if independent). */
  public int mimicSource(int i) {
    return mimicSource[i];
  }

  public double mimicMultiplier(int i) {
    return mimicMul[i];
  }

  /** Sets every mimic entry of q from its source. */
  public void applyMimic(double[] q) {
    for (int i = 0; i < nq; i++) {
      int s = mimicSource[i];
      if (s != i) {
        q[i] = mimicMul[i] * q[s] + mimicOff[i];
      }
    }
  }

  /** The moving joints (indices into model.joints()) between the root and link {@code l}. */
  public int[] chainOf(int l) {
    return chain[l].clone();
  }

  /** World poses of every link from {@code d.q} and the base pose; also joint axes in the world. */
  public void forward(KinematicsData d) {
    applyMimic(d.q);
    System.arraycopy(d.basePosition, 0, d.linkPosition, 0, 3);
    System.arraycopy(d.baseRotation, 0, d.linkRotation, 0, 9);
    forwardJoints(d, 0, nj);
    d.rotationsChanged();
  }

  /**
   * FK of the subtree below link {@code root} only, taking root's pose in {@code d} as given (e.g.
   * set to the identity to work in that link's frame). Mimic joints are not re-applied: call
   * {@link #applyMimic} first if q changed. Cheap for hands: a few dozen links.
   */
  public void forwardSubtree(KinematicsData d, int root) {
    forwardJoints(d, root, root + subtreeSize[root] - 1);
    d.rotationsChanged();
  }

  /** Number of links in the subtree of {@code l} (itself included); they follow l in link order. */
  public int subtreeSize(int l) {
    return subtreeSize[l];
  }

  private void forwardJoints(KinematicsData d, int from, int to) {
    double[] q = d.q;
    double[] lp = d.linkPosition, lr = d.linkRotation, jp = d.jointPosition, ja = d.jointAxis;
    for (int j = from; j < to; j++) {
      int p = parentLink[j], c = j + 1;
      int pr = 9 * p, pp = 3 * p, o = 9 * j, op = 3 * j, cr = 9 * c, cp = 3 * c;
      // joint frame = parent * origin
      double r00 = lr[pr] * originR[o] + lr[pr + 1] * originR[o + 3] + lr[pr + 2] * originR[o + 6];
      double r01 = lr[pr] * originR[o + 1] + lr[pr + 1] * originR[o + 4] + lr[pr + 2] * originR[o + 7];
      double r02 = lr[pr] * originR[o + 2] + lr[pr + 1] * originR[o + 5] + lr[pr + 2] * originR[o + 8];
      double r10 = lr[pr + 3] * originR[o] + lr[pr + 4] * originR[o + 3] + lr[pr + 5] * originR[o + 6];
      double r11 = lr[pr + 3] * originR[o + 1] + lr[pr + 4] * originR[o + 4] + lr[pr + 5] * originR[o + 7];
      double r12 = lr[pr + 3] * originR[o + 2] + lr[pr + 4] * originR[o + 5] + lr[pr + 5] * originR[o + 8];
      double r20 = lr[pr + 6] * originR[o] + lr[pr + 7] * originR[o + 3] + lr[pr + 8] * originR[o + 6];
      double r21 = lr[pr + 6] * originR[o + 1] + lr[pr + 7] * originR[o + 4] + lr[pr + 8] * originR[o + 7];
      double r22 = lr[pr + 6] * originR[o + 2] + lr[pr + 7] * originR[o + 5] + lr[pr + 8] * originR[o + 8];
      double ox = originP[op], oy = originP[op + 1], oz = originP[op + 2];
      double px = lp[pp] + lr[pr] * ox + lr[pr + 1] * oy + lr[pr + 2] * oz;
      double py = lp[pp + 1] + lr[pr + 3] * ox + lr[pr + 4] * oy + lr[pr + 5] * oz;
      double pz = lp[pp + 2] + lr[pr + 6] * ox + lr[pr + 7] * oy + lr[pr + 8] * oz;
      double ax = axis[op], ay = axis[op + 1], az = axis[op + 2];
      double wx = r00 * ax + r01 * ay + r02 * az;
      double wy = r10 * ax + r11 * ay + r12 * az;
      double wz = r20 * ax + r21 * ay + r22 * az;
      jp[op] = px;
      jp[op + 1] = py;
      jp[op + 2] = pz;
      ja[op] = wx;
      ja[op + 1] = wy;
      ja[op + 2] = wz;
      int t = type[j];
      if (t == REVOLUTE) {
        // child = joint frame * Rot(axis, q), Rodrigues in the joint frame
        double th = q[qIndex[j]];
        double s = Math.sin(th), k = 1 - Math.cos(th);
        double m00 = 1 - k * (ay * ay + az * az), m01 = -s * az + k * ax * ay, m02 = s * ay + k * ax * az;
        double m10 = s * az + k * ax * ay, m11 = 1 - k * (ax * ax + az * az), m12 = -s * ax + k * ay * az;
        double m20 = -s * ay + k * ax * az, m21 = s * ax + k * ay * az, m22 = 1 - k * (ax * ax + ay * ay);
        lr[cr] = r00 * m00 + r01 * m10 + r02 * m20;
        lr[cr + 1] = r00 * m01 + r01 * m11 + r02 * m21;
        lr[cr + 2] = r00 * m02 + r01 * m12 + r02 * m22;
        lr[cr + 3] = r10 * m00 + r11 * m10 + r12 * m20;
        lr[cr + 4] = r10 * m01 + r11 * m11 + r12 * m21;
        lr[cr + 5] = r10 * m02 + r11 * m12 + r12 * m22;
        lr[cr + 6] = r20 * m00 + r21 * m10 + r22 * m20;
        lr[cr + 7] = r20 * m01 + r21 * m11 + r22 * m21;
        lr[cr + 8] = r20 * m02 + r21 * m12 + r22 * m22;
        lp[cp] = px;
        lp[cp + 1] = py;
        lp[cp + 2] = pz;
      } else {
        lr[cr] = r00; lr[cr + 1] = r01; lr[cr + 2] = r02;
        lr[cr + 3] = r10; lr[cr + 4] = r11; lr[cr + 5] = r12;
        lr[cr + 6] = r20; lr[cr + 7] = r21; lr[cr + 8] = r22;
        double dq = t == PRISMATIC ? q[qIndex[j]] : 0;
        lp[cp] = px + wx * dq;
        lp[cp + 1] = py + wy * dq;
        lp[cp + 2] = pz + wz * dq;
      }
    }
  }

  /** World position of a point given in link {@code l}'s frame, into {@code out[off..off+2]}. Needs {@link #forward}. */
  public void pointInWorld(KinematicsData d, int l, double x, double y, double z, double[] out, int off) {
    double[] r = d.linkRotation, p = d.linkPosition;
    int o = 9 * l;
    out[off] = p[3 * l] + r[o] * x + r[o + 1] * y + r[o + 2] * z;
    out[off + 1] = p[3 * l + 1] + r[o + 3] * x + r[o + 4] * y + r[o + 5] * z;
    out[off + 2] = p[3 * l + 2] + r[o + 6] * x + r[o + 7] * y + r[o + 8] * z;
  }

  /**
   * Geometric Jacobian of the point at world position (wx, wy, wz) rigidly attached to link {@code l}.
   * Writes columns {@code colOffset + qIndex} for the joints on the chain (others untouched: clear
   * {@code out} first) and the base columns at {@code baseCol} if >= 0. Needs {@link #forward}.
   */
  public void jacobian(KinematicsData d, int l, double wx, double wy, double wz, double[] out, int cols,
      int colOffset, int baseCol) {
    double[] jp = d.jointPosition, ja = d.jointAxis;
    int[] ch = chain[l];
    for (int k = 0; k < ch.length; k++) {
      int j = ch[k];
      int qi = qIndex[j];
      int col = colOffset + mimicSource[qi];
      double mul = mimicMul[qi];
      int o = 3 * j;
      double ax = ja[o] * mul, ay = ja[o + 1] * mul, az = ja[o + 2] * mul;
      if (type[j] == PRISMATIC) {
        out[col] += ax;
        out[cols + col] += ay;
        out[2 * cols + col] += az;
      } else {
        double rx = wx - jp[o], ry = wy - jp[o + 1], rz = wz - jp[o + 2];
        out[col] += ay * rz - az * ry;
        out[cols + col] += az * rx - ax * rz;
        out[2 * cols + col] += ax * ry - ay * rx;
        out[3 * cols + col] += ax;
        out[4 * cols + col] += ay;
        out[5 * cols + col] += az;
      }
    }
    if (baseCol >= 0) {
      double rx = wx - d.basePosition[0], ry = wy - d.basePosition[1], rz = wz - d.basePosition[2];
      for (int i = 0; i < 3; i++) {
        out[i * cols + baseCol + i] += 1;
        out[(3 + i) * cols + baseCol + 3 + i] += 1;
      }
      // v = w x r  =>  columns of -[r]x for the angular base velocity
      out[baseCol + 4] += rz;
      out[baseCol + 5] += -ry;
      out[cols + baseCol + 3] += -rz;
      out[cols + baseCol + 5] += rx;
      out[2 * cols + baseCol + 3] += ry;
      out[2 * cols + baseCol + 4] += -rx;
    }
  }

  /** Jacobian of link {@code l}'s origin, into a cleared 6 x nq array (allocating convenience). */
  public double[] jacobian(KinematicsData d, int l) {
    double[] out = new double[6 * nq];
    int o = 3 * l;
    jacobian(d, l, d.linkPosition[o], d.linkPosition[o + 1], d.linkPosition[o + 2], out, nq, 0, -1);
    return out;
  }

  /** Centre of mass into {@code d.com}; also the subtree moments {@link #comJacobian} needs. Needs {@link #forward}. */
  public void centerOfMass(KinematicsData d) {
    double[] sm = d.subtreeMass, mo = d.subtreeMoment, r = d.linkRotation, p = d.linkPosition;
    for (int l = 0; l < nl; l++) {
      double m = mass[l];
      int o = 9 * l, lp = 3 * l;
      double cx = comLocal[lp], cy = comLocal[lp + 1], cz = comLocal[lp + 2];
      sm[l] = m;
      mo[lp] = m * (p[lp] + r[o] * cx + r[o + 1] * cy + r[o + 2] * cz);
      mo[lp + 1] = m * (p[lp + 1] + r[o + 3] * cx + r[o + 4] * cy + r[o + 5] * cz);
      mo[lp + 2] = m * (p[lp + 2] + r[o + 6] * cx + r[o + 7] * cy + r[o + 8] * cz);
    }
    for (int l = nl - 1; l >= 1; l--) {
      int pl = parentLink[l - 1];
      sm[pl] += sm[l];
      mo[3 * pl] += mo[3 * l];
      mo[3 * pl + 1] += mo[3 * l + 1];
      mo[3 * pl + 2] += mo[3 * l + 2];
    }
    double inv = totalMass > 0 ? 1 / totalMass : 0;
    d.com[0] = mo[0] * inv;
    d.com[1] = mo[1] * inv;
    d.com[2] = mo[2] * inv;
  }

  /**
   * Jacobian of the centre of mass (3 rows, world), added into {@code out} (row-major, {@code cols}
   * wide) at {@code colOffset + q index}; base columns at {@code baseCol} if >= 0. Needs {@link #centerOfMass}.
   */
  public void comJacobian(KinematicsData d, double[] out, int cols, int colOffset, int baseCol) {
    if (totalMass <= 0) {
      return;
    }
    double inv = 1 / totalMass;
    double[] sm = d.subtreeMass, mo = d.subtreeMoment, jp = d.jointPosition, ja = d.jointAxis;
    for (int j = 0; j < nj; j++) {
      if (type[j] == FIXED) {
        continue;
      }
      int c = j + 1, o = 3 * j, qi = qIndex[j];
      int col = colOffset + mimicSource[qi];
      double mul = mimicMul[qi] * inv;
      double ax = ja[o], ay = ja[o + 1], az = ja[o + 2];
      double m = sm[c];
      if (type[j] == PRISMATIC) {
        out[col] += ax * m * mul;
        out[cols + col] += ay * m * mul;
        out[2 * cols + col] += az * m * mul;
      } else {
        double rx = mo[3 * c] - m * jp[o], ry = mo[3 * c + 1] - m * jp[o + 1], rz = mo[3 * c + 2] - m * jp[o + 2];
        out[col] += (ay * rz - az * ry) * mul;
        out[cols + col] += (az * rx - ax * rz) * mul;
        out[2 * cols + col] += (ax * ry - ay * rx) * mul;
      }
    }
    if (baseCol >= 0) {
      double rx = d.com[0] - d.basePosition[0], ry = d.com[1] - d.basePosition[1], rz = d.com[2] - d.basePosition[2];
      for (int i = 0; i < 3; i++) {
        out[i * cols + baseCol + i] += 1;
      }
      out[baseCol + 4] += rz;
      out[baseCol + 5] += -ry;
      out[cols + baseCol + 3] += -rz;
      out[cols + baseCol + 5] += rx;
      out[2 * cols + baseCol + 3] += ry;
      out[2 * cols + baseCol + 4] += -rx;
    }
  }

  /** Names of the links, for reports. */
  public List<String> linkNames() {
    List<String> out = new ArrayList<>(nl);
    model.links().forEach(l -> out.add(l.name()));
    return out;
  }

  /** Rotation of link l as a quaternion (allocates; see {@link KinematicsData#linkQuat(int, double[], int)}). */
  public Quat linkQuat(KinematicsData d, int l) {
    return d.linkPose(l).rotation();
  }
}
