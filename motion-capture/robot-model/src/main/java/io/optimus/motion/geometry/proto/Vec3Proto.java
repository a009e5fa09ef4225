package io.optimus.motion.geometry.proto;

import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.Vector3;

/** {@link Vec3} to and from the wire {@code optimus.v1.Vector3}, kept beside the value type, not in it. */
public final class Vec3Proto {
  private Vec3Proto() {}

  /** Field by field: an unset message is the zero vector; NaN and infinities pass through ({@link Vec3#isFinite}). */
  public static Vec3 fromProto(Vector3 v) {
    return new Vec3(v.getX(), v.getY(), v.getZ());
  }

  public static Vector3 toProto(Vec3 v) {
    return Vector3.newBuilder().setX(v.x()).setY(v.y()).setZ(v.z()).build();
  }
}
