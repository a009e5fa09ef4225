package io.optimus.motion.kinematics;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.RobotModel;

/**
 * Mutable per-tick kinematic state of one {@link RobotModel} (the model's mjData): joint positions q
 * (indexed like {@code model.dofJoints()}), the floating base pose, and what {@link Kinematics}
 * computes from them: every link's world pose, joint axes in the world, the centre of mass. Not
 * thread-safe: one per thread/loop. Arrays are exposed for allocation-free hot loops.
 */
public final class KinematicsData {
  final RobotModel model;
  /** Joint positions, rad or m, q order. */
  public final double[] q;
  /** World pose of the root link: position and row-major rotation matrix. */
  public final double[] basePosition = new double[3];
  public final double[] baseRotation = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  /** Per link: world position (3 each) and row-major rotation (9 each). */
  public final double[] linkPosition;
  public final double[] linkRotation;
  /**
   * Per link: world orientation as a unit quaternion (4 each, (w, x, y, z), w &gt;= 0), kept beside
   * {@link #linkRotation} as mjData keeps xquat beside xmat. Derived from the matrices once per
   * {@link Kinematics#forward}, on first read (the IK, which reads only matrices, never pays for it).
   */
  private final double[] linkQuat;
  private boolean linkQuatStale = true;
  /** Per joint (model.joints() order): world position of the joint origin and world unit axis. */
  public final double[] jointPosition;
  public final double[] jointAxis;
  /** Centre of mass in the world, valid after {@link Kinematics#centerOfMass}. */
  public final double[] com = new double[3];
  // Subtree mass moments for the CoM Jacobian.
  final double[] subtreeMass;
  final double[] subtreeMoment;

  public KinematicsData(RobotModel model) {
    this.model = model;
    int nl = model.links().size();
    int nj = model.joints().size();
    q = new double[model.dof()];
    linkPosition = new double[nl * 3];
    linkRotation = new double[nl * 9];
    linkQuat = new double[nl * 4];
    jointPosition = new double[nj * 3];
    jointAxis = new double[nj * 3];
    subtreeMass = new double[nl];
    subtreeMoment = new double[nl * 3];
  }

  public RobotModel model() {
    return model;
  }

  public void setQ(double[] values) {
    if (values.length != q.length) {
      throw new IllegalArgumentException("q has " + values.length + " values, the model " + q.length);
    }
    System.arraycopy(values, 0, q, 0, q.length);
  }

  public void setBasePose(Pose3 pose) {
    basePosition[0] = pose.translation().x();
    basePosition[1] = pose.translation().y();
    basePosition[2] = pose.translation().z();
    pose.rotation().normalized().toMatrix(baseRotation, 0);
  }

  public Pose3 basePose() {
    return new Pose3(new Vec3(basePosition[0], basePosition[1], basePosition[2]), Quat.fromMatrix(baseRotation, 0));
  }

  /** World pose of link {@code l} (allocates; hot loops read {@link #linkPosition} and {@link #linkQuat(int, double[], int)}). */
  public Pose3 linkPose(int l) {
    double[] lq = linkQuats();
    int o = 4 * l;
    return new Pose3(new Vec3(linkPosition[3 * l], linkPosition[3 * l + 1], linkPosition[3 * l + 2]),
        new Quat(lq[o], lq[o + 1], lq[o + 2], lq[o + 3]));
  }

  /** World orientation of link {@code l} as (w, x, y, z), w &gt;= 0, into {@code out[off..off+3]}; allocation-free. */
  public void linkQuat(int l, double[] out, int off) {
    System.arraycopy(linkQuats(), 4 * l, out, off, 4);
  }

  /** All link orientations, 4 per link (read-only view: the array is reused). */
  public double[] linkQuats() {
    if (linkQuatStale) {
      for (int l = 0, n = linkQuat.length / 4; l < n; l++) {
        Rotations.matrixToQuat(linkRotation, 9 * l, linkQuat, 4 * l);
      }
      linkQuatStale = false;
    }
    return linkQuat;
  }

  /** {@link Kinematics} wrote {@link #linkRotation}: the quaternions follow on their next read. */
  void rotationsChanged() {
    linkQuatStale = true;
  }

  public Pose3 linkPose(String link) {
    int l = model.linkIndex(link);
    if (l < 0) {
      throw new IllegalArgumentException("no link '" + link + "' in " + model.name());
    }
    return linkPose(l);
  }

  public Vec3 centerOfMass() {
    return new Vec3(com[0], com[1], com[2]);
  }

  /** Copies q, base and all computed poses from another state of the same model. */
  public void copyFrom(KinematicsData o) {
    System.arraycopy(o.q, 0, q, 0, q.length);
    System.arraycopy(o.basePosition, 0, basePosition, 0, 3);
    System.arraycopy(o.baseRotation, 0, baseRotation, 0, 9);
    System.arraycopy(o.linkPosition, 0, linkPosition, 0, linkPosition.length);
    System.arraycopy(o.linkRotation, 0, linkRotation, 0, linkRotation.length);
    System.arraycopy(o.linkQuat, 0, linkQuat, 0, linkQuat.length);
    linkQuatStale = o.linkQuatStale;
    System.arraycopy(o.jointPosition, 0, jointPosition, 0, jointPosition.length);
    System.arraycopy(o.jointAxis, 0, jointAxis, 0, jointAxis.length);
    System.arraycopy(o.com, 0, com, 0, 3);
  }
}
