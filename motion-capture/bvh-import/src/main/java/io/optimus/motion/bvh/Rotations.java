package io.optimus.motion.bvh;

/** Small rotation helpers on row-major 3x3 arrays and Hamilton quaternions stored (w, x, y, z). */
final class Rotations {
  private Rotations() {}

  /** Row-major rotation matrix to a unit quaternion (w, x, y, z) with w >= 0. */
  static void matrixToQuaternion(double[] m, double[] q) {
    double trace = m[0] + m[4] + m[8];
    double w;
    double x;
    double y;
    double z;
    if (trace > 0) {
      double s = Math.sqrt(trace + 1.0) * 2;
      w = 0.25 * s;
      x = (m[7] - m[5]) / s;
      y = (m[2] - m[6]) / s;
      z = (m[3] - m[1]) / s;
    } else if (m[0] > m[4] && m[0] > m[8]) {
      double s = Math.sqrt(1.0 + m[0] - m[4] - m[8]) * 2;
      w = (m[7] - m[5]) / s;
      x = 0.25 * s;
      y = (m[1] + m[3]) / s;
      z = (m[2] + m[6]) / s;
    } else if (m[4] > m[8]) {
      double s = Math.sqrt(1.0 + m[4] - m[0] - m[8]) * 2;
      w = (m[2] - m[6]) / s;
      x = (m[1] + m[3]) / s;
      y = 0.25 * s;
      z = (m[5] + m[7]) / s;
    } else {
      double s = Math.sqrt(1.0 + m[8] - m[0] - m[4]) * 2;
      w = (m[3] - m[1]) / s;
      x = (m[2] + m[6]) / s;
      y = (m[5] + m[7]) / s;
      z = 0.25 * s;
    }
    double sign = w < 0 ? -1 : 1;
    double norm = Math.sqrt(w * w + x * x + y * y + z * z) * sign;
    q[0] = w / norm;
    q[1] = x / norm;
    q[2] = y / norm;
    q[3] = z / norm;
  }

  /** out = a * b for row-major 3x3 matrices (out may not alias a or b). */
  static void multiply(double[] a, double[] b, double[] out) {
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
      }
    }
  }

  /** Rotation about z by {@code yaw} radians. */
  static double[] yaw(double yaw) {
    double c = Math.cos(yaw);
    double s = Math.sin(yaw);
    return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
  }
}
