package io.optimus.motion.geometry;

/** An immutable 3-vector in metres (or any SI unit the caller says). */
public record Vec3(double x, double y, double z) {
  public static final Vec3 ZERO = new Vec3(0, 0, 0);
  public static final Vec3 UNIT_X = new Vec3(1, 0, 0);
  public static final Vec3 UNIT_Y = new Vec3(0, 1, 0);
  public static final Vec3 UNIT_Z = new Vec3(0, 0, 1);

  public Vec3 plus(Vec3 o) {
    return new Vec3(x + o.x, y + o.y, z + o.z);
  }

  public Vec3 minus(Vec3 o) {
    return new Vec3(x - o.x, y - o.y, z - o.z);
  }

  public Vec3 times(double s) {
    return new Vec3(x * s, y * s, z * s);
  }

  public double dot(Vec3 o) {
    return x * o.x + y * o.y + z * o.z;
  }

  public Vec3 cross(Vec3 o) {
    return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
  }

  public double norm() {
    return Math.sqrt(x * x + y * y + z * z);
  }

  public Vec3 normalized() {
    double n = norm();
    return n == 0 ? this : times(1 / n);
  }

  public double distance(Vec3 o) {
    return minus(o).norm();
  }

  public boolean isFinite() {
    return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
  }

  public double[] toArray() {
    return new double[] {x, y, z};
  }
}
