package io.optimus.motion.retarget;

import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Whole-body differential inverse kinematics as one small box-constrained least-squares problem per
 * iteration:
 *
 * <pre>
 *   min_dq  sum_tasks w |J dq - e|²  +  w_com |J_com,xy dq - e_com|²  +  w_post |dq - (q_ref - q)|²  +  λ |dq|²
 *   λ = damping + adaptiveDamping * (weighted task cost)
 *   s.t.    max(lower - q, -v_max dt) <= q - q0 + dq <= min(upper - q, v_max dt)   (q0: q at the start of the tick)
 * </pre>
 *
 * The normal equations (J^T W J + λ I) are formed only over each row's non-zero columns and solved
 * by Cholesky; the bounds by a short active-set loop that pins violating unknowns to their bound and
 * re-solves the rest, then a final clamp — so joint position and velocity limits hold after every
 * iteration whatever the targets. With a floating base, six more unknowns move the root (world
 * linear and angular velocity); feet tasks keep the stance and the CoM task keeps the centre of mass
 * over the support polygon.
 *
 * <p>Single-threaded; preallocates everything, so {@link #solve} does not allocate.
 */
public final class WholeBodyIk {
  private final Kinematics kin;
  private final RobotModel model;
  private final IkSettings settings;
  private final int nq;
  private final int width; // jacobian columns: nq joints + 6 base
  private final boolean floatingBase;
  private final int n; // unknowns
  private final int[] varToQ; // unknown -> q index, or -1 - k for base component k
  private final int[] colToVar; // jacobian column -> unknown or -1
  private final double[] velocityLimit; // per unknown, per second
  private final double[] lower;
  private final double[] upper;
  private final List<FrameTask> tasks = new ArrayList<>();
  private final double[] posture;
  private final double[] postureWeights;
  private boolean comEnabled;
  private double comWeight;
  private final double[] comTarget = new double[2];
  // work
  private final double[] jfull;
  private final double[] row;
  private final int[] nz;
  private final double[] h;
  private final double[] g;
  private final double[] hf;
  private final double[] rhs;
  private final double[] dq;
  private final double[] lo;
  private final double[] hi;
  private final boolean[] pinned;
  private final int[] pinSide;
  private final int[] freeIdx;
  private final double[] q0;
  private final double[] base0Pos = new double[3];
  private final double[] base0Rot = new double[9];
  private final double[] baseStepPos = new double[3];
  private final double[] baseStepRot = new double[3];
  private final double[] err = new double[6];
  private final double[] quat = new double[4];
  private final double[] pw = new double[3];
  private final double[] tmp9 = new double[9];
  private double dt;

  /**
   * @param active joints the IK may move (fixed and mimic joints are never unknowns)
   * @param floatingBase whether the root moves too (6 more unknowns)
   */
  public WholeBodyIk(Kinematics kin, Predicate<Joint> active, boolean floatingBase, IkSettings settings) {
    this.kin = kin;
    this.model = kin.model();
    this.settings = settings;
    this.floatingBase = floatingBase;
    nq = model.dof();
    width = nq + 6;
    colToVar = new int[width];
    Arrays.fill(colToVar, -1);
    List<Integer> vars = new ArrayList<>();
    for (Joint j : model.dofJoints()) {
      if (!j.isMimic() && active.test(j)) {
        colToVar[j.qIndex()] = vars.size();
        vars.add(j.qIndex());
      }
    }
    if (floatingBase) {
      for (int k = 0; k < 6; k++) {
        colToVar[nq + k] = vars.size();
        vars.add(-1 - k);
      }
    }
    n = vars.size();
    varToQ = new int[n];
    velocityLimit = new double[n];
    lower = new double[n];
    upper = new double[n];
    for (int v = 0; v < n; v++) {
      int qi = vars.get(v);
      varToQ[v] = qi;
      if (qi >= 0) {
        Joint j = model.dofJoints().get(qi);
        velocityLimit[v] = j.limits().velocity();
        lower[v] = j.limits().lower();
        upper[v] = j.limits().upper();
      } else {
        velocityLimit[v] = -1 - qi < 3 ? settings.maxBaseSpeed() : settings.maxBaseAngularSpeed();
        lower[v] = Double.NEGATIVE_INFINITY;
        upper[v] = Double.POSITIVE_INFINITY;
      }
    }
    posture = new double[nq];
    postureWeights = new double[nq];
    Arrays.fill(postureWeights, settings.postureWeight());
    comWeight = settings.comWeight();
    jfull = new double[6 * width];
    row = new double[n];
    nz = new int[n];
    h = new double[n * n];
    g = new double[n];
    hf = new double[n * n];
    rhs = new double[n];
    dq = new double[n];
    lo = new double[n];
    hi = new double[n];
    pinned = new boolean[n];
    pinSide = new int[n];
    freeIdx = new int[n];
    q0 = new double[nq];
  }

  public Kinematics kinematics() {
    return kin;
  }

  /**
   * Narrows the range the IK may use for one joint (q index) inside its model limits, e.g. to keep
   * knees off the straight-leg singularity. Joints outside it are brought back at their speed limit.
   */
  public void setJointRange(int qIndex, double lo, double hi) {
    int v = colToVar[qIndex];
    if (v < 0) {
      return;
    }
    Joint j = model.dofJoints().get(qIndex);
    lower[v] = Math.max(j.limits().lower(), Math.min(lo, hi));
    upper[v] = Math.min(j.limits().upper(), Math.max(lo, hi));
  }

  /** Number of unknowns per iteration. */
  public int unknowns() {
    return n;
  }

  /** Adds a task on a link; weights per m and per rad (0 switches that part off). */
  public FrameTask addFrameTask(String name, String link, double positionWeight, double orientationWeight) {
    int l = model.linkIndex(link);
    if (l < 0) {
      throw new IllegalArgumentException("no link '" + link + "' in " + model.name());
    }
    FrameTask t = new FrameTask(name, l, positionWeight, orientationWeight);
    tasks.add(t);
    return t;
  }

  public List<FrameTask> tasks() {
    return List.copyOf(tasks);
  }

  public FrameTask task(String name) {
    for (FrameTask t : tasks) {
      if (t.name.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no task '" + name + "'");
  }

  /** Posture reference (q order); the solver drifts towards it where the tasks leave freedom. */
  public void setPosture(double[] qRef) {
    System.arraycopy(qRef, 0, posture, 0, nq);
  }

  /** The same posture weight for every joint. */
  public void setPostureWeight(double w) {
    Arrays.fill(postureWeights, w);
  }

  /**
   * Posture weight of one joint (q index). Raise it for joints that should hold the posture unless
   * a task needs them (legs of a standing robot); this biases the tasks slightly in exchange.
   */
  public void setPostureWeight(int qIndex, double w) {
    postureWeights[qIndex] = w;
  }

  /** Horizontal centre-of-mass target (world x, y), e.g. the support polygon centre. */
  public void setComTarget(double x, double y) {
    comTarget[0] = x;
    comTarget[1] = y;
    comEnabled = true;
  }

  public void setComWeight(double w) {
    comWeight = w;
  }

  public void disableCom() {
    comEnabled = false;
  }

  /**
   * Moves {@code d} (q and, with a floating base, the base pose) towards the tasks: {@code iterations}
   * Gauss-Newton steps, all within the joint position limits and within velocity limits x dt of where
   * q was on entry. Returns the weighted task cost before the last iteration.
   */
  public double solve(KinematicsData d, double dt, int iterations) {
    begin(d, dt);
    double cost = 0;
    for (int i = 0; i < iterations; i++) {
      cost = iterate(d);
    }
    kin.forward(d);
    return cost;
  }

  /** Starts a tick: remembers q and the base pose the velocity limits are measured from. */
  public void begin(KinematicsData d, double dt) {
    this.dt = dt > 0 && Double.isFinite(dt) ? dt : 0;
    System.arraycopy(d.q, 0, q0, 0, nq);
    System.arraycopy(d.basePosition, 0, base0Pos, 0, 3);
    System.arraycopy(d.baseRotation, 0, base0Rot, 0, 9);
    Arrays.fill(baseStepPos, 0);
    Arrays.fill(baseStepRot, 0);
  }

  /** One iteration (after {@link #begin}); leaves FK stale. Returns the weighted task cost. */
  public double iterate(KinematicsData d) {
    kin.forward(d);
    if (comEnabled && comWeight > 0) {
      kin.centerOfMass(d);
    }
    Arrays.fill(h, 0);
    Arrays.fill(g, 0);
    double cost = 0;
    for (int t = 0; t < tasks.size(); t++) {
      cost += addFrameTask(d, tasks.get(t));
    }
    if (comEnabled && comWeight > 0) {
      Arrays.fill(jfull, 0, 3 * width, 0);
      kin.comJacobian(d, jfull, width, 0, floatingBase ? nq : -1);
      for (int r = 0; r < 2; r++) {
        double e = comTarget[r] - d.com[r];
        cost += comWeight * e * e;
        accumulateRow(r, comWeight, clamp(e, 0.1));
      }
    }
    // posture (joints only) and damping
    double lambda = settings.damping() + settings.adaptiveDamping() * cost;
    for (int v = 0; v < n; v++) {
      int qi = varToQ[v];
      h[v * n + v] += lambda;
      if (qi >= 0 && postureWeights[qi] > 0) {
        double w = postureWeights[qi];
        h[v * n + v] += w;
        g[v] += w * (posture[qi] - d.q[qi]);
      }
    }
    computeBounds(d);
    solveBoxed();
    apply(d);
    return cost;
  }

  private double addFrameTask(KinematicsData d, FrameTask t) {
    if (!t.enabled) {
      return 0;
    }
    boolean pos = t.positionValid && t.positionWeight > 0;
    boolean rot = t.orientationValid && t.orientationWeight > 0;
    if (!pos && !rot) {
      return 0;
    }
    int l = t.link;
    kin.pointInWorld(d, l, t.offset[0], t.offset[1], t.offset[2], pw, 0);
    double cost = 0;
    if (pos) {
      err[0] = t.positionAxes[0] ? t.targetPosition[0] - pw[0] : 0;
      err[1] = t.positionAxes[1] ? t.targetPosition[1] - pw[1] : 0;
      err[2] = t.positionAxes[2] ? t.targetPosition[2] - pw[2] : 0;
      double e = Math.sqrt(err[0] * err[0] + err[1] * err[1] + err[2] * err[2]);
      t.positionError = e;
      cost += t.positionWeight * e * e;
      if (e > t.maxPositionError) {
        double s = t.maxPositionError / e;
        err[0] *= s;
        err[1] *= s;
        err[2] *= s;
      }
    }
    if (rot) {
      double a = rotationError(t.targetRotation, d.linkRotation, 9 * l, err, 3, quat);
      t.orientationError = a;
      cost += t.orientationWeight * a * a;
      if (a > t.maxOrientationError) {
        double s = t.maxOrientationError / a;
        err[3] *= s;
        err[4] *= s;
        err[5] *= s;
      }
    }
    Arrays.fill(jfull, 0);
    kin.jacobian(d, l, pw[0], pw[1], pw[2], jfull, width, 0, floatingBase ? nq : -1);
    if (pos) {
      for (int r = 0; r < 3; r++) {
        if (t.positionAxes[r]) {
          accumulateRow(r, t.positionWeight, err[r]);
        }
      }
    }
    if (rot) {
      for (int r = 3; r < 6; r++) {
        accumulateRow(r, t.orientationWeight, err[r]);
      }
    }
    return cost;
  }

  /** H += w j j^T (lower triangle), g += w j e for row r of jfull, over its non-zero unknowns. */
  private void accumulateRow(int r, double w, double e) {
    int off = r * width;
    int k = 0;
    for (int c = 0; c < width; c++) {
      int v = colToVar[c];
      double x = jfull[off + c];
      if (v >= 0 && x != 0) {
        nz[k] = v;
        row[k] = x;
        k++;
      }
    }
    for (int a = 0; a < k; a++) {
      double wa = w * row[a];
      int va = nz[a];
      g[va] += wa * e;
      int ra = va * n;
      for (int b = 0; b <= a; b++) { // lower triangle only (nz is ascending)
        h[ra + nz[b]] += wa * row[b];
      }
    }
  }

  private void computeBounds(KinematicsData d) {
    for (int v = 0; v < n; v++) {
      int qi = varToQ[v];
      double step = velocityLimit[v] * dt;
      double moved;
      double q;
      if (qi >= 0) {
        q = d.q[qi];
        moved = q - q0[qi];
      } else {
        int k = -1 - qi;
        q = 0;
        moved = k < 3 ? baseStepPos[k] : baseStepRot[k - 3];
      }
      // velocity budget of the whole tick, minus what earlier iterations used
      double l = -step - moved;
      double u = step - moved;
      double lq = lower[v] - q;
      double uq = upper[v] - q;
      if (lq > l) {
        l = lq;
      }
      if (uq < u) {
        u = uq;
      }
      if (l > u) {
        // outside the position limits by more than one tick's motion: head back at full speed
        double back = q > upper[v] ? Math.max(uq, -step - moved) : Math.min(lq, step - moved);
        l = back;
        u = back;
      }
      lo[v] = l;
      hi[v] = u;
    }
  }

  private void solveBoxed() {
    // warm start: what was pinned last time is probably pinned again (the KKT check releases it if not)
    for (int v = 0; v < n; v++) {
      pinned[v] = pinSide[v] != 0 && lo[v] < hi[v];
      if (pinned[v]) {
        dq[v] = pinSide[v] < 0 ? lo[v] : hi[v];
      }
    }
    for (int pass = 0; pass < settings.activeSetIterations(); pass++) {
      int m = 0;
      for (int v = 0; v < n; v++) {
        if (!pinned[v]) {
          freeIdx[m++] = v;
        }
      }
      if (m > 0) {
        for (int a = 0; a < m; a++) {
          int va = freeIdx[a];
          double s = g[va];
          int ra = va * n;
          for (int v = 0; v < n; v++) {
            if (pinned[v]) {
              s -= (v <= va ? h[ra + v] : h[v * n + va]) * dq[v];
            }
          }
          rhs[a] = s;
          for (int b = 0; b <= a; b++) {
            hf[a * m + b] = h[ra + freeIdx[b]];
          }
        }
        // upper triangle is never read by the factorisation
        if (!DenseCholesky.factor(hf, m, m)) {
          for (int a = 0; a < m; a++) {
            rhs[a] = 0; // numerically broken: hold still rather than move wildly
          }
        } else {
          DenseCholesky.solve(hf, m, m, rhs);
        }
        for (int a = 0; a < m; a++) {
          double x = rhs[a];
          dq[freeIdx[a]] = Double.isFinite(x) ? x : 0;
        }
      }
      boolean changed = false;
      for (int v = 0; v < n; v++) {
        if (!pinned[v] && (dq[v] < lo[v] || dq[v] > hi[v])) {
          dq[v] = dq[v] < lo[v] ? lo[v] : hi[v];
          pinned[v] = true;
          changed = true;
        }
      }
      if (!changed) {
        // KKT check: release the pinned unknown whose multiplier has the wrong sign (the cost
        // would fall by moving it off its bound), as a primal active-set method does
        int release = -1;
        double worst = 1e-12;
        for (int v = 0; v < n; v++) {
          if (!pinned[v] || lo[v] == hi[v]) {
            continue;
          }
          double grad = -g[v];
          int rv = v * n;
          for (int c = 0; c <= v; c++) {
            grad += h[rv + c] * dq[c];
          }
          for (int c = v + 1; c < n; c++) {
            grad += h[c * n + v] * dq[c];
          }
          double wrong = dq[v] <= lo[v] ? -grad : grad; // at lower: grad must be >= 0
          if (wrong > worst) {
            worst = wrong;
            release = v;
          }
        }
        if (release < 0) {
          break;
        }
        pinned[release] = false;
      }
    }
    for (int v = 0; v < n; v++) {
      double x = dq[v];
      dq[v] = x < lo[v] ? lo[v] : (x > hi[v] ? hi[v] : x);
      pinSide[v] = !pinned[v] ? 0 : (dq[v] <= lo[v] ? -1 : 1);
    }
  }

  private void apply(KinematicsData d) {
    for (int v = 0; v < n; v++) {
      int qi = varToQ[v];
      if (qi >= 0) {
        d.q[qi] += dq[v];
      } else {
        int k = -1 - qi;
        if (k < 3) {
          d.basePosition[k] += dq[v];
          baseStepPos[k] += dq[v];
        } else {
          baseStepRot[k - 3] += dq[v];
        }
      }
    }
    if (floatingBase) {
      int w = colToVar[nq + 3];
      rotateWorld(d.baseRotation, dq[w], dq[w + 1], dq[w + 2]);
    }
    // the limit bounds are exact; mimic joints follow their (bounded) sources
    kin.applyMimic(d.q);
  }

  /** R <- exp([w]x) R (a world-frame rotation by the rotation vector w), re-orthonormalised. */
  private void rotateWorld(double[] r, double wx, double wy, double wz) {
    double a = Math.sqrt(wx * wx + wy * wy + wz * wz);
    if (a < 1e-15) {
      return;
    }
    double x = wx / a, y = wy / a, z = wz / a, s = Math.sin(a), k = 1 - Math.cos(a);
    double e00 = 1 - k * (y * y + z * z), e01 = -s * z + k * x * y, e02 = s * y + k * x * z;
    double e10 = s * z + k * x * y, e11 = 1 - k * (x * x + z * z), e12 = -s * x + k * y * z;
    double e20 = -s * y + k * x * z, e21 = s * x + k * y * z, e22 = 1 - k * (x * x + y * y);
    for (int c = 0; c < 3; c++) {
      double r0 = r[c], r1 = r[3 + c], r2 = r[6 + c];
      tmp9[c] = e00 * r0 + e01 * r1 + e02 * r2;
      tmp9[3 + c] = e10 * r0 + e11 * r1 + e12 * r2;
      tmp9[6 + c] = e20 * r0 + e21 * r1 + e22 * r2;
    }
    orthonormalize(tmp9);
    System.arraycopy(tmp9, 0, r, 0, 9);
  }

  private static void orthonormalize(double[] m) {
    // Gram-Schmidt on the columns
    double n0 = Math.sqrt(m[0] * m[0] + m[3] * m[3] + m[6] * m[6]);
    m[0] /= n0; m[3] /= n0; m[6] /= n0;
    double d = m[0] * m[1] + m[3] * m[4] + m[6] * m[7];
    m[1] -= d * m[0]; m[4] -= d * m[3]; m[7] -= d * m[6];
    double n1 = Math.sqrt(m[1] * m[1] + m[4] * m[4] + m[7] * m[7]);
    m[1] /= n1; m[4] /= n1; m[7] /= n1;
    m[2] = m[3] * m[7] - m[6] * m[4];
    m[5] = m[6] * m[1] - m[0] * m[7];
    m[8] = m[0] * m[4] - m[3] * m[1];
  }

  private static double clamp(double e, double max) {
    return e > max ? max : (e < -max ? -max : e);
  }

  /**
   * World-frame rotation vector taking {@code cur} (at off) to {@code target}: log(R_t R_c^T), into
   * out[o..o+2]; returns its angle. Independent of quaternion sign by construction. {@code quat} is
   * four doubles of scratch.
   */
  static double rotationError(double[] target, double[] cur, int off, double[] out, int o, double[] quat) {
    // M = T C^T
    double m00 = target[0] * cur[off] + target[1] * cur[off + 1] + target[2] * cur[off + 2];
    double m01 = target[0] * cur[off + 3] + target[1] * cur[off + 4] + target[2] * cur[off + 5];
    double m02 = target[0] * cur[off + 6] + target[1] * cur[off + 7] + target[2] * cur[off + 8];
    double m10 = target[3] * cur[off] + target[4] * cur[off + 1] + target[5] * cur[off + 2];
    double m11 = target[3] * cur[off + 3] + target[4] * cur[off + 4] + target[5] * cur[off + 5];
    double m12 = target[3] * cur[off + 6] + target[4] * cur[off + 7] + target[5] * cur[off + 8];
    double m20 = target[6] * cur[off] + target[7] * cur[off + 1] + target[8] * cur[off + 2];
    double m21 = target[6] * cur[off + 3] + target[7] * cur[off + 4] + target[8] * cur[off + 5];
    double m22 = target[6] * cur[off + 6] + target[7] * cur[off + 7] + target[8] * cur[off + 8];
    Rotations.matrixToQuat(m00, m01, m02, m10, m11, m12, m20, m21, m22, quat, 0);
    double w = quat[0];
    double x = quat[1];
    double y = quat[2];
    double z = quat[3];
    double vn = Math.sqrt(x * x + y * y + z * z);
    if (!(vn > 1e-12)) {
      out[o] = 2 * x;
      out[o + 1] = 2 * y;
      out[o + 2] = 2 * z;
      return 0;
    }
    double angle = 2 * Math.atan2(vn, w);
    double f = angle / vn;
    out[o] = x * f;
    out[o + 1] = y * f;
    out[o + 2] = z * f;
    return angle;
  }
}
