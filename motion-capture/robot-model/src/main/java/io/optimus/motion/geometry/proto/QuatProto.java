package io.optimus.motion.geometry.proto;

import io.optimus.motion.geometry.Quat;
import io.optimus.proto.v1.Quaternion;

/** {@link Quat} to and from the wire {@code optimus.v1.Quaternion} (both (w, x, y, z)), beside the value type. */
public final class QuatProto {
  private QuatProto() {}

  /** Field by field, not normalized: an unset message is the zero quaternion (see {@link Pose3Proto#fromProto}). */
  public static Quat fromProto(Quaternion q) {
    return new Quat(q.getW(), q.getX(), q.getY(), q.getZ());
  }

  public static Quaternion toProto(Quat q) {
    return Quaternion.newBuilder().setW(q.w()).setX(q.x()).setY(q.y()).setZ(q.z()).build();
  }

  /** The quaternion {@code q[off..off+3]} (w, x, y, z) as a message (for arrays kept by hot loops). */
  public static Quaternion toProto(double[] q, int off) {
    return Quaternion.newBuilder().setW(q[off]).setX(q[off + 1]).setY(q[off + 2]).setZ(q[off + 3]).build();
  }
}
