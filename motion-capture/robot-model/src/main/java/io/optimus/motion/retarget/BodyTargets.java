package io.optimus.motion.retarget;

import java.util.Arrays;

/**
 * The operator's body joints for one frame: per {@link OperatorJoint} a pose in the operator frame
 * (z up, metres; quaternion w, x, y, z), a tracking confidence in [0, 1] and whether the
 * orientation is meaningful. A joint with confidence 0 is not tracked and drives nothing, so
 * an empty instance retargets exactly like head and hands alone.
 *
 * <p>A reusable buffer rather than a record: the control loop refills one instance per operator
 * frame without allocating. {@link #set} refuses what the IK must never see: a non-finite or far
 * away (over {@value #MAX_COORDINATE_M} m) position or a NaN confidence zeroes that joint's
 * confidence, a zero or non-finite quaternion clears its orientation.
 */
public final class BodyTargets {
  /** Positions further out than this (m) are treated as garbage, as the hand poses are. */
  public static final double MAX_COORDINATE_M = 1e3;
  private static final int N = OperatorJoint.COUNT;
  final double[] position = new double[3 * N];
  final double[] orientation = new double[4 * N];
  final double[] confidence = new double[N];
  final boolean[] orientationValid = new boolean[N];

  public BodyTargets() {
    clear();
  }

  /** Every joint untracked (confidence 0). */
  public BodyTargets clear() {
    Arrays.fill(position, 0);
    Arrays.fill(confidence, 0);
    Arrays.fill(orientationValid, false);
    for (int j = 0; j < N; j++) {
      orientation[4 * j] = 1;
      orientation[4 * j + 1] = 0;
      orientation[4 * j + 2] = 0;
      orientation[4 * j + 3] = 0;
    }
    return this;
  }

  /** One joint; see the class comment for what is refused. */
  public BodyTargets set(OperatorJoint joint, double x, double y, double z, double qw, double qx, double qy, double qz,
      double conf, boolean orientationOk) {
    int j = joint.ordinal();
    boolean finite = Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z)
        && Math.abs(x) + Math.abs(y) + Math.abs(z) <= MAX_COORDINATE_M;
    double c = conf > 1 ? 1 : (conf > 0 ? conf : 0); // NaN -> 0
    confidence[j] = finite ? c : 0;
    position[3 * j] = finite ? x : 0;
    position[3 * j + 1] = finite ? y : 0;
    position[3 * j + 2] = finite ? z : 0;
    double n = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
    boolean rot = orientationOk && Double.isFinite(n) && n > 1e-6;
    orientationValid[j] = rot;
    orientation[4 * j] = rot ? qw / n : 1;
    orientation[4 * j + 1] = rot ? qx / n : 0;
    orientation[4 * j + 2] = rot ? qy / n : 0;
    orientation[4 * j + 3] = rot ? qz / n : 0;
    return this;
  }

  /** A position-only joint (orientation not tracked). */
  public BodyTargets setPosition(OperatorJoint joint, double x, double y, double z, double conf) {
    return set(joint, x, y, z, 1, 0, 0, 0, conf, false);
  }

  public double confidence(OperatorJoint joint) {
    return confidence[joint.ordinal()];
  }

  /** Component 0..2 (x, y, z) of a joint's position. */
  public double position(OperatorJoint joint, int axis) {
    return position[3 * joint.ordinal() + axis];
  }

  /** Component 0..3 (w, x, y, z) of a joint's unit quaternion (identity when not valid). */
  public double orientation(OperatorJoint joint, int component) {
    return orientation[4 * joint.ordinal() + component];
  }

  public boolean orientationValid(OperatorJoint joint) {
    return orientationValid[joint.ordinal()];
  }

  /** Whether any joint is tracked at all. */
  public boolean any() {
    for (double c : confidence) {
      if (c > 0) {
        return true;
      }
    }
    return false;
  }

  public void copyFrom(BodyTargets o) {
    System.arraycopy(o.position, 0, position, 0, position.length);
    System.arraycopy(o.orientation, 0, orientation, 0, orientation.length);
    System.arraycopy(o.confidence, 0, confidence, 0, confidence.length);
    System.arraycopy(o.orientationValid, 0, orientationValid, 0, orientationValid.length);
  }
}
