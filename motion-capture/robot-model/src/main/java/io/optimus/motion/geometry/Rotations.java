package io.optimus.motion.geometry;

/**
 * The one allocation-free set of rotation helpers for hot loops, on arrays: row-major 3x3 rotation
 * matrices and Hamilton quaternions stored (w, x, y, z), each at an offset into its array. The value
 * types ({@link Quat}, {@link Pose3}) use these for their conversions.
 *
 * <p>Matrix to quaternion is Shepperd's method; its result is unit length with w &gt;= 0 (the
 * canonical sign), tolerates a matrix a little off orthonormal, and is all NaN when the input has a
 * NaN (so callers' finiteness checks see it).
 */
public final class Rotations {
  private Rotations() {}

  // ---- matrix <-> quaternion ----

  /** The unit quaternion (w &gt;= 0) of the row-major matrix {@code m[mOff..mOff+8]}, into {@code q[qOff..qOff+3]}. */
  public static void matrixToQuat(double[] m, int mOff, double[] q, int qOff) {
    matrixToQuat(m[mOff], m[mOff + 1], m[mOff + 2], m[mOff + 3], m[mOff + 4], m[mOff + 5], m[mOff + 6],
        m[mOff + 7], m[mOff + 8], q, qOff);
  }

  /**
   * The unit quaternion (w &gt;= 0) of the rotation matrix with rows (m00 m01 m02), (m10 ...), into
   * {@code q[qOff..qOff+3]}. Shepperd's method: branches on the largest of the trace and the diagonal,
   * so the square root is always of a number &gt;= 1 (accurate near 180 degrees, trace near -1).
   */
  public static void matrixToQuat(double m00, double m01, double m02, double m10, double m11, double m12,
      double m20, double m21, double m22, double[] q, int qOff) {
    double tr = m00 + m11 + m22;
    double w, x, y, z;
    if (tr > 0) {
      double s = Math.sqrt(tr + 1) * 2;
      w = 0.25 * s; x = (m21 - m12) / s; y = (m02 - m20) / s; z = (m10 - m01) / s;
    } else if (m00 > m11 && m00 > m22) {
      double s = Math.sqrt(1 + m00 - m11 - m22) * 2;
      w = (m21 - m12) / s; x = 0.25 * s; y = (m01 + m10) / s; z = (m02 + m20) / s;
    } else if (m11 > m22) {
      double s = Math.sqrt(1 + m11 - m00 - m22) * 2;
      w = (m02 - m20) / s; x = (m01 + m10) / s; y = 0.25 * s; z = (m12 + m21) / s;
    } else {
      double s = Math.sqrt(1 + m22 - m00 - m11) * 2;
      w = (m10 - m01) / s; x = (m02 + m20) / s; y = (m12 + m21) / s; z = 0.25 * s;
    }
    // unit length (a matrix a little off orthonormal gives a quaternion a little off unit) and w >= 0
    double k = (w < 0 ? -1 : 1) / Math.sqrt(w * w + x * x + y * y + z * z);
    q[qOff] = w * k + 0.0; // + 0.0: no -0.0
    q[qOff + 1] = x * k;
    q[qOff + 2] = y * k;
    q[qOff + 3] = z * k;
  }

  /** The row-major rotation matrix of the unit quaternion (w, x, y, z), into {@code m[mOff..mOff+8]}. */
  public static void quatToMatrix(double w, double x, double y, double z, double[] m, int mOff) {
    double xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yz = y * z;
    double wx = w * x, wy = w * y, wz = w * z;
    m[mOff] = 1 - 2 * (yy + zz); m[mOff + 1] = 2 * (xy - wz); m[mOff + 2] = 2 * (xz + wy);
    m[mOff + 3] = 2 * (xy + wz); m[mOff + 4] = 1 - 2 * (xx + zz); m[mOff + 5] = 2 * (yz - wx);
    m[mOff + 6] = 2 * (xz - wy); m[mOff + 7] = 2 * (yz + wx); m[mOff + 8] = 1 - 2 * (xx + yy);
  }

  public static void quatToMatrix(double[] q, int qOff, double[] m, int mOff) {
    quatToMatrix(q[qOff], q[qOff + 1], q[qOff + 2], q[qOff + 3], m, mOff);
  }

  // ---- quaternions ----

  /** out = a * b (b applied first); out may alias neither. */
  public static void quatMultiply(double[] a, double[] b, double[] out) {
    out[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    out[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
    out[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
    out[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
  }

  /** out = the conjugate of q (the inverse of a unit q); out may alias q. */
  public static void quatConjugate(double[] q, double[] out) {
    out[0] = q[0];
    out[1] = -q[1];
    out[2] = -q[2];
    out[3] = -q[3];
  }

  /** out = q v q^-1 for a unit q and v = (x, y, z); out must not be q. */
  public static void quatRotate(double[] q, double x, double y, double z, double[] out) {
    double w = q[0], qx = q[1], qy = q[2], qz = q[3];
    // t = 2 (q.xyz x v); v' = v + w t + q.xyz x t
    double tx = 2 * (qy * z - qz * y);
    double ty = 2 * (qz * x - qx * z);
    double tz = 2 * (qx * y - qy * x);
    out[0] = x + w * tx + (qy * tz - qz * ty);
    out[1] = y + w * ty + (qz * tx - qx * tz);
    out[2] = z + w * tz + (qx * ty - qy * tx);
  }

  /** Scales q to unit length in place; a zero or non-finite q becomes the identity. */
  public static void quatNormalize(double[] q) {
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

  /** Yaw (rotation about z, rad) of the unit quaternion (w, x, y, z). */
  public static double quatYaw(double w, double x, double y, double z) {
    return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
  }

  public static double quatYaw(double[] q) {
    return quatYaw(q[0], q[1], q[2], q[3]);
  }

  /** out = the rotation of {@code yaw} rad about z. */
  public static void quatFromYaw(double yaw, double[] out) {
    out[0] = Math.cos(yaw / 2);
    out[1] = 0;
    out[2] = 0;
    out[3] = Math.sin(yaw / 2);
  }

  // ---- 3x3 matrices ----

  /** out = a * b; out may alias a (same offset), not b. */
  public static void matrixMultiply(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    for (int r = 0; r < 3; r++) {
      double a0 = a[aOff + 3 * r], a1 = a[aOff + 3 * r + 1], a2 = a[aOff + 3 * r + 2];
      for (int c = 0; c < 3; c++) {
        out[outOff + 3 * r + c] = a0 * b[bOff + c] + a1 * b[bOff + 3 + c] + a2 * b[bOff + 6 + c];
      }
    }
  }

  /** out = a * b; out may alias a, not b. */
  public static void matrixMultiply(double[] a, double[] b, double[] out) {
    matrixMultiply(a, 0, b, 0, out, 0);
  }

  /** out = a * b^T; out may alias a, not b. */
  public static void matrixMultiplyTransposed(double[] a, double[] b, double[] out) {
    for (int r = 0; r < 3; r++) {
      double a0 = a[3 * r], a1 = a[3 * r + 1], a2 = a[3 * r + 2];
      for (int c = 0; c < 3; c++) {
        out[3 * r + c] = a0 * b[3 * c] + a1 * b[3 * c + 1] + a2 * b[3 * c + 2];
      }
    }
  }

  /** out = the rotation of {@code yaw} rad about z. */
  public static void matrixFromYaw(double yaw, double[] out) {
    double c = Math.cos(yaw);
    double s = Math.sin(yaw);
    out[0] = c; out[1] = -s; out[2] = 0;
    out[3] = s; out[4] = c; out[5] = 0;
    out[6] = 0; out[7] = 0; out[8] = 1;
  }
}
