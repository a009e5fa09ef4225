package io.optimus.motion.model;

/**
 * Joint limits in joint units (rad or m; per second; N·m or N). Continuous and fixed joints have no
 * position limits ({@code hasPositionLimits == false}, lower/upper infinite).
 */
public record JointLimits(boolean hasPositionLimits, double lower, double upper, double velocity, double effort) {
  public static final JointLimits NONE = new JointLimits(false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

  /** {@code q} moved into [lower, upper]. */
  public double clamp(double q) {
    return q < lower ? lower : (q > upper ? upper : q);
  }

  public io.optimus.proto.v1.JointLimits toProto() {
    var b = io.optimus.proto.v1.JointLimits.newBuilder().setHasPositionLimits(hasPositionLimits);
    if (hasPositionLimits) {
      b.setLower(lower).setUpper(upper);
    }
    if (Double.isFinite(velocity)) {
      b.setVelocity(velocity);
    }
    if (Double.isFinite(effort)) {
      b.setEffort(effort);
    }
    return b.build();
  }
}
