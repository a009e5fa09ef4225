package io.optimus.motion.retarget;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;

/**
 * Drive a point on a link (an offset in the link frame) to a world position and/or the link to a
 * world orientation. Weights are per unit error (m or rad); 0 disables that part. Invalid targets
 * (NaN, infinite, zero quaternion) switch the task off until a valid one arrives, so the solver
 * holds the closest safe solution instead of propagating garbage. Mutable, owned by one
 * {@link WholeBodyIk}.
 */
public final class FrameTask {
  final String name;
  final int link;
  final double[] offset = new double[3];
  final double[] targetPosition = new double[3];
  final double[] targetRotation = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  double positionWeight;
  double orientationWeight;
  /** Which world axes of the position error count (e.g. only z for a height task). */
  final boolean[] positionAxes = {true, true, true};
  boolean positionValid;
  boolean orientationValid;
  boolean enabled = true;
  /** Largest error the solver acts on per step: far-away targets are approached, not leapt to. */
  double maxPositionError = 0.15;
  double maxOrientationError = 0.6;
  // last errors, before the step (m, rad)
  double positionError;
  double orientationError;

  FrameTask(String name, int link, double positionWeight, double orientationWeight) {
    this.name = name;
    this.link = link;
    this.positionWeight = positionWeight;
    this.orientationWeight = orientationWeight;
  }

  public String name() {
    return name;
  }

  public int link() {
    return link;
  }

  /** The point driven, in the link frame (default: the link origin). */
  public FrameTask setOffset(double x, double y, double z) {
    offset[0] = x;
    offset[1] = y;
    offset[2] = z;
    return this;
  }

  public FrameTask setWeights(double position, double orientation) {
    positionWeight = position;
    orientationWeight = orientation;
    return this;
  }

  public double positionWeight() {
    return positionWeight;
  }

  public double orientationWeight() {
    return orientationWeight;
  }

  /** Restricts the position part to some world axes (x, y, z); e.g. (false, false, true) holds a height. */
  public FrameTask setPositionAxes(boolean x, boolean y, boolean z) {
    positionAxes[0] = x;
    positionAxes[1] = y;
    positionAxes[2] = z;
    return this;
  }

  public FrameTask setEnabled(boolean on) {
    enabled = on;
    return this;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Clamp of the error acted on per solver iteration (m, rad). */
  public FrameTask setMaxErrors(double position, double orientation) {
    maxPositionError = position;
    maxOrientationError = orientation;
    return this;
  }

  /** Allocation-free target position; non-finite values invalidate the position part. */
  public void setTargetPosition(double x, double y, double z) {
    positionValid = Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
    if (positionValid) {
      targetPosition[0] = x;
      targetPosition[1] = y;
      targetPosition[2] = z;
    }
  }

  /**
   * Allocation-free target orientation, Hamilton (w, x, y, z); normalised here. q and -q are the
   * same rotation (the error is computed sign-free); a zero or non-finite quaternion invalidates it.
   */
  public void setTargetOrientation(double w, double x, double y, double z) {
    double n = Math.sqrt(w * w + x * x + y * y + z * z);
    orientationValid = Double.isFinite(n) && n > 1e-6;
    if (!orientationValid) {
      return;
    }
    w /= n;
    x /= n;
    y /= n;
    z /= n;
    double[] m = targetRotation;
    m[0] = 1 - 2 * (y * y + z * z); m[1] = 2 * (x * y - w * z); m[2] = 2 * (x * z + w * y);
    m[3] = 2 * (x * y + w * z); m[4] = 1 - 2 * (x * x + z * z); m[5] = 2 * (y * z - w * x);
    m[6] = 2 * (x * z - w * y); m[7] = 2 * (y * z + w * x); m[8] = 1 - 2 * (x * x + y * y);
  }

  /** Target orientation from a row-major rotation matrix. */
  public void setTargetRotation(double[] r, int off) {
    boolean ok = true;
    for (int i = 0; i < 9; i++) {
      ok &= Double.isFinite(r[off + i]);
    }
    orientationValid = ok;
    if (ok) {
      System.arraycopy(r, off, targetRotation, 0, 9);
    }
  }

  public void setTarget(Pose3 pose) {
    Vec3 p = pose.translation();
    Quat q = pose.rotation();
    setTargetPosition(p.x(), p.y(), p.z());
    setTargetOrientation(q.w(), q.x(), q.y(), q.z());
  }

  public void clearTarget() {
    positionValid = false;
    orientationValid = false;
  }

  public boolean hasPositionTarget() {
    return positionValid;
  }

  public boolean hasOrientationTarget() {
    return orientationValid;
  }

  public Vec3 targetPosition() {
    return new Vec3(targetPosition[0], targetPosition[1], targetPosition[2]);
  }

  /** Position error (m) measured at the start of the last step. */
  public double lastPositionError() {
    return positionError;
  }

  /** Orientation error (rad) measured at the start of the last step. */
  public double lastOrientationError() {
    return orientationError;
  }
}
