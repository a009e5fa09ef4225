package io.optimus.teleop.frame;

import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;

/**
 * The one place where OpenXR's y-up frame becomes our z-up operator frame. OpenXR STAGE: x right,
 * y up, -z forward. Operator frame: x forward (= -Z_xr), y left (= -X_xr), z up (= Y_xr). The axis
 * map C is a proper rotation (det +1), so a quaternion maps as (w, v) -> (w, C v): rotations keep
 * their angle and turn their axis. Quaternions are Hamilton, stored (w, x, y, z).
 */
public final class XrToOperator {
  private XrToOperator() {}

  /** A position in OpenXR coordinates, in the operator frame. */
  public static Vector3 position(double x, double y, double z) {
    return Vector3.newBuilder().setX(-z).setY(-x).setZ(y).build();
  }

  /** An OpenXR orientation (given x, y, z, w as XrQuaternionf stores it), in the operator frame. */
  public static Quaternion orientation(double qx, double qy, double qz, double qw) {
    return Quaternion.newBuilder().setW(qw).setX(-qz).setY(-qx).setZ(qy).build();
  }

  /** An OpenXR pose (position, then quaternion x, y, z, w) in the operator frame. */
  public static Pose pose(double px, double py, double pz, double qx, double qy, double qz, double qw) {
    return Pose.newBuilder().setPosition(position(px, py, pz)).setOrientation(orientation(qx, qy, qz, qw)).build();
  }

  /** The inverse map, for tests and for rendering operator-frame content back into OpenXR space. */
  public static double[] toXrPosition(Vector3 p) {
    return new double[] {-p.getY(), p.getZ(), -p.getX()};
  }

  /** Operator-frame quaternion back to OpenXR, returned as (x, y, z, w) like XrQuaternionf. */
  public static double[] toXrOrientation(Quaternion q) {
    return new double[] {-q.getY(), q.getZ(), -q.getX(), q.getW()};
  }
}
