package io.optimus.motion.geometry;

/**
 * A rigid transform: a child frame in its parent, {@code p_parent = rotation * p_child + translation}
 * (the proto Pose convention; {@link io.optimus.motion.geometry.proto.Pose3Proto} converts).
 */
public record Pose3(Vec3 translation, Quat rotation) {
  public static final Pose3 IDENTITY = new Pose3(Vec3.ZERO, Quat.IDENTITY);

  public Pose3 {
    if (translation == null || rotation == null) {
      throw new NullPointerException("translation and rotation are required");
    }
  }

  public static Pose3 of(double x, double y, double z) {
    return new Pose3(new Vec3(x, y, z), Quat.IDENTITY);
  }

  /** This transform followed by {@code child}: the pose of child's frame in this pose's parent. */
  public Pose3 times(Pose3 child) {
    return new Pose3(translation.plus(rotation.rotate(child.translation)), rotation.times(child.rotation));
  }

  public Pose3 inverse() {
    Quat inv = rotation.inverse();
    return new Pose3(inv.rotate(translation).times(-1), inv);
  }

  public Vec3 transform(Vec3 p) {
    return translation.plus(rotation.rotate(p));
  }

  public boolean isFinite() {
    return translation.isFinite() && rotation.isFinite();
  }
}
