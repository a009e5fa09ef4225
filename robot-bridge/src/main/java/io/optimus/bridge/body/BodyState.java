package io.optimus.bridge.body;

/**
 * Measured joint state, q order, filled in place by {@link RobotBody#read} (no allocation per tick).
 */
public final class BodyState {
  public final double[] position;
  public final double[] velocity;
  public final double[] effort;
  /** Monotonic time of the measurement (ns). */
  public long stampNs;
  /** Non-empty when the driver reports a fault (the supervisor latches the e-stop). */
  public String fault = "";

  public BodyState(int dof) {
    position = new double[dof];
    velocity = new double[dof];
    effort = new double[dof];
  }

  public int dof() {
    return position.length;
  }
}
