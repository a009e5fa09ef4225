package io.optimus.motion.model;

import io.optimus.motion.geometry.Pose3;

/** Mass (kg) at {@code origin} in the link frame, with the inertia tensor (kg·m²) about it in that frame. */
public record Inertial(double mass, Pose3 origin, double ixx, double ixy, double ixz, double iyy, double iyz,
    double izz) {
  public static final Inertial NONE = new Inertial(0, Pose3.IDENTITY, 0, 0, 0, 0, 0, 0);
}
