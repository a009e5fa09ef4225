package io.optimus.motion.geometry;

/**
 * An immutable rotation as a unit quaternion, Hamilton convention, stored (w, x, y, z) with w the
 * scalar part, like the wire format. {@code a.times(b)} applies b first, then a.
 */
public record Quat(double w, double x, double y, double z) {
  public static final Quat IDENTITY = new Quat(1, 0, 0, 0);

  /** Rotation of {@code angle} rad about the unit {@code axis}. */
  public static Quat fromAxisAngle(Vec3 axis, double angle) {
    Vec3 a = axis.normalized();
    double s = Math.sin(angle / 2);
    return new Quat(Math.cos(angle / 2), a.x() * s, a.y() * s, a.z() * s);
  }

  /** URDF roll-pitch-yaw: fixed axes x then y then z, i.e. R = Rz(yaw) Ry(pitch) Rx(roll). */
  public static Quat fromRpy(double roll, double pitch, double yaw) {
    double cr = Math.cos(roll / 2), sr = Math.sin(roll / 2);
    double cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2);
    double cy = Math.cos(yaw / 2), sy = Math.sin(yaw / 2);
    return new Quat(
        cr * cp * cy + sr * sp * sy,
        sr * cp * cy - cr * sp * sy,
        cr * sp * cy + sr * cp * sy,
        cr * cp * sy - sr * sp * cy);
  }

  /**
   * The quaternion (unit, w &gt;= 0) of a row-major 3x3 rotation matrix {@code m[off..off+8]}
   * ({@link Rotations#matrixToQuat}); NaN in the matrix gives a NaN quaternion.
   */
  public static Quat fromMatrix(double[] m, int off) {
    double[] wxyz = new double[4];
    Rotations.matrixToQuat(m, off, wxyz, 0);
    return new Quat(wxyz[0], wxyz[1], wxyz[2], wxyz[3]);
  }

  /** Writes the row-major rotation matrix into {@code m[off..off+8]}; assumes a unit quaternion. */
  public void toMatrix(double[] m, int off) {
    Rotations.quatToMatrix(w, x, y, z, m, off);
  }

  public Quat times(Quat o) {
    return new Quat(
        w * o.w - x * o.x - y * o.y - z * o.z,
        w * o.x + x * o.w + y * o.z - z * o.y,
        w * o.y - x * o.z + y * o.w + z * o.x,
        w * o.z + x * o.y - y * o.x + z * o.w);
  }

  public Quat conjugate() {
    return new Quat(w, -x, -y, -z);
  }

  /** The inverse of a unit quaternion. */
  public Quat inverse() {
    return conjugate();
  }

  public Quat negate() {
    return new Quat(-w, -x, -y, -z);
  }

  public double norm() {
    return Math.sqrt(w * w + x * x + y * y + z * z);
  }

  public double dot(Quat o) {
    return w * o.w + x * o.x + y * o.y + z * o.z;
  }

  /** Unit length; the zero quaternion (proto "not set") becomes the identity. */
  public Quat normalized() {
    double n = norm();
    return n == 0 || !Double.isFinite(n) ? IDENTITY : new Quat(w / n, x / n, y / n, z / n);
  }

  public Vec3 rotate(Vec3 v) {
    // v' = v + 2 u x (u x v + w v), u the vector part
    double tx = 2 * (y * v.z() - z * v.y());
    double ty = 2 * (z * v.x() - x * v.z());
    double tz = 2 * (x * v.y() - y * v.x());
    return new Vec3(
        v.x() + w * tx + (y * tz - z * ty),
        v.y() + w * ty + (z * tx - x * tz),
        v.z() + w * tz + (x * ty - y * tx));
  }

  /** Angle of the rotation, in [0, pi]; q and -q give the same angle. */
  public double angle() {
    double vn = Math.sqrt(x * x + y * y + z * z);
    return 2 * Math.atan2(vn, Math.abs(w));
  }

  /** Angle between two rotations, in [0, pi], independent of quaternion sign. */
  public double angleTo(Quat o) {
    return conjugate().times(o).angle();
  }

  /** Rotation vector (axis * angle) of the shortest rotation equal to this one. */
  public Vec3 toRotationVector() {
    Quat q = w < 0 ? negate() : this;
    double vn = Math.sqrt(q.x * q.x + q.y * q.y + q.z * q.z);
    if (vn < 1e-12) {
      return new Vec3(2 * q.x, 2 * q.y, 2 * q.z);
    }
    double a = 2 * Math.atan2(vn, q.w);
    return new Vec3(q.x * a / vn, q.y * a / vn, q.z * a / vn);
  }

  public static Quat fromRotationVector(Vec3 r) {
    double a = r.norm();
    if (a < 1e-12) {
      return new Quat(1, r.x() / 2, r.y() / 2, r.z() / 2).normalized();
    }
    return fromAxisAngle(r, a);
  }

  /** Spherical interpolation along the shortest path. */
  public Quat slerp(Quat o, double t) {
    double d = dot(o);
    Quat b = d < 0 ? o.negate() : o;
    d = Math.abs(d);
    if (d > 0.9995) {
      return new Quat(w + t * (b.w - w), x + t * (b.x - x), y + t * (b.y - y), z + t * (b.z - z)).normalized();
    }
    double th = Math.acos(d), s = Math.sin(th);
    double ka = Math.sin((1 - t) * th) / s, kb = Math.sin(t * th) / s;
    return new Quat(ka * w + kb * b.w, ka * x + kb * b.x, ka * y + kb * b.y, ka * z + kb * b.z);
  }

  public boolean isFinite() {
    return Double.isFinite(w) && Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
  }
}
