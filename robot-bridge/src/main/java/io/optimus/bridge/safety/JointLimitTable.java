package io.optimus.bridge.safety;

import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointType;
import java.util.List;

/**
 * Joint limits as flat arrays (q order), read from the wire description so any body, simulated or
 * real, is supervised the same way. Missing velocity/acceleration limits get the config defaults.
 */
public final class JointLimitTable {
  final String[] names;
  final boolean[] bounded;
  final double[] lower;
  final double[] upper;
  final double[] velocity;
  final double[] acceleration;

  public JointLimitTable(List<JointInfo> joints, SafetyConfig config) {
    int n = joints.size();
    names = new String[n];
    bounded = new boolean[n];
    lower = new double[n];
    upper = new double[n];
    velocity = new double[n];
    acceleration = new double[n];
    for (int i = 0; i < n; i++) {
      JointInfo j = joints.get(i);
      var l = j.getLimits();
      names[i] = j.getName();
      bounded[i] = l.getHasPositionLimits() && j.getType() != JointType.JOINT_TYPE_CONTINUOUS;
      lower[i] = bounded[i] ? l.getLower() : Double.NEGATIVE_INFINITY;
      upper[i] = bounded[i] ? l.getUpper() : Double.POSITIVE_INFINITY;
      velocity[i] = l.getVelocity() > 0 && Double.isFinite(l.getVelocity()) ? l.getVelocity() : config.defaultVelocity();
      acceleration[i] = l.getAcceleration() > 0 && Double.isFinite(l.getAcceleration())
          ? l.getAcceleration() : config.defaultAccelerationPerVelocity() * velocity[i];
    }
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  public double lower(int i) {
    return lower[i];
  }

  public double upper(int i) {
    return upper[i];
  }

  public double velocity(int i) {
    return velocity[i];
  }

  public double acceleration(int i) {
    return acceleration[i];
  }

  public boolean bounded(int i) {
    return bounded[i];
  }

  /** {@code q} moved into the position limits (continuous joints unchanged). */
  public double clamp(int i, double q) {
    return q < lower[i] ? lower[i] : (q > upper[i] ? upper[i] : q);
  }
}
