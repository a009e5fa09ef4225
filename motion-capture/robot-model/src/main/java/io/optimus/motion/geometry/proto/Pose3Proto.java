package io.optimus.motion.geometry.proto;

import io.optimus.motion.geometry.Pose3;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Vector3;

/**
 * {@link Pose3} to and from the wire {@code optimus.v1.Pose}, kept beside the value type the way
 * WPILib keeps {@code Pose3dProto} beside {@code Pose3d}.
 */
public final class Pose3Proto {
  private Pose3Proto() {}

  /**
   * From a proto Pose; the orientation is normalized, and an unset (all-zero) or non-finite one
   * becomes the identity. A non-finite position passes through: check {@link Pose3#isFinite}.
   */
  public static Pose3 fromProto(Pose p) {
    return new Pose3(Vec3Proto.fromProto(p.getPosition()), QuatProto.fromProto(p.getOrientation()).normalized());
  }

  public static Pose toProto(Pose3 p) {
    return Pose.newBuilder().setPosition(Vec3Proto.toProto(p.translation()))
        .setOrientation(QuatProto.toProto(p.rotation())).build();
  }

  /** A pose from arrays kept by hot loops: position {@code p[pOff..pOff+2]}, quaternion {@code q[qOff..qOff+3]}. */
  public static Pose toProto(double[] p, int pOff, double[] q, int qOff) {
    return Pose.newBuilder()
        .setPosition(Vector3.newBuilder().setX(p[pOff]).setY(p[pOff + 1]).setZ(p[pOff + 2]))
        .setOrientation(QuatProto.toProto(q, qOff))
        .build();
  }
}
