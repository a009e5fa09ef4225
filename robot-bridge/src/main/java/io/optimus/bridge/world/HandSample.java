package io.optimus.bridge.world;

/**
 * Where one robot hand is this tick, in the world frame: the palm frame's position and orientation
 * (Hamilton quaternion stored w, x, y, z) and how closed the fingers are (0 open .. 1 fist).
 * Mutable and reused every tick.
 */
public final class HandSample {
  public final String name;
  public final double[] position = new double[3];
  /** (w, x, y, z). */
  public final double[] orientation = {1, 0, 0, 0};
  public double closure;
  public boolean valid;

  public HandSample(String name) {
    this.name = name;
  }

  public HandSample set(double x, double y, double z, double closure) {
    position[0] = x;
    position[1] = y;
    position[2] = z;
    this.closure = closure;
    this.valid = true;
    return this;
  }
}
