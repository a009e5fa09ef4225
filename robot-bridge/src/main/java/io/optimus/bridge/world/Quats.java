package io.optimus.bridge.world;

/** Allocation-free quaternion helpers on arrays; Hamilton convention, stored (w, x, y, z). */
final class Quats {
  private Quats() {}

  /** out = a * b (out may alias neither). */
  static void multiply(double[] a, double[] b, double[] out) {
    out[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    out[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
    out[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
    out[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
  }

  static void conjugate(double[] q, double[] out) {
    out[0] = q[0];
    out[1] = -q[1];
    out[2] = -q[2];
    out[3] = -q[3];
  }

  /** out = q * v * q^-1 for a unit q (out may alias v). */
  static void rotate(double[] q, double x, double y, double z, double[] out) {
    double w = q[0];
    double qx = q[1];
    double qy = q[2];
    double qz = q[3];
    // t = 2 * cross(q.xyz, v); v' = v + w t + cross(q.xyz, t)
    double tx = 2 * (qy * z - qz * y);
    double ty = 2 * (qz * x - qx * z);
    double tz = 2 * (qx * y - qy * x);
    out[0] = x + w * tx + (qy * tz - qz * ty);
    out[1] = y + w * ty + (qz * tx - qx * tz);
    out[2] = z + w * tz + (qx * ty - qy * tx);
  }

  static void normalize(double[] q) {
    double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (!(n > 1e-12) || !Double.isFinite(n)) {
      q[0] = 1;
      q[1] = q[2] = q[3] = 0;
      return;
    }
    for (int i = 0; i < 4; i++) {
      q[i] /= n;
    }
  }

  /** Yaw (rotation about z) of q. */
  static double yaw(double[] q) {
    return Math.atan2(2 * (q[0] * q[3] + q[1] * q[2]), 1 - 2 * (q[2] * q[2] + q[3] * q[3]));
  }

  static void fromYaw(double yaw, double[] out) {
    out[0] = Math.cos(yaw / 2);
    out[1] = 0;
    out[2] = 0;
    out[3] = Math.sin(yaw / 2);
  }
}
