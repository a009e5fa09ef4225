package io.optimus.bridge.body;

/**
 * One simulated actuator: the setpoint follows the command through a first-order lag
 * ({@code lagSeconds}), a PD loop turns the setpoint error into torque, clamped to the joint's effort
 * limit, acting on {@code inertia} with viscous {@code damping}; speed is clamped to the velocity
 * limit and position to the hard stops. Gravity is assumed compensated by the drive.
 */
public record ActuatorParams(double inertia, double kp, double kd, double damping, double lagSeconds) {
  /** Critically damped PD at natural frequency {@code omega} (rad/s) for the given inertia. */
  public static ActuatorParams critical(double inertia, double omega, double lagSeconds) {
    return new ActuatorParams(inertia, inertia * omega * omega, 2 * inertia * omega, 0.01 * inertia * omega,
        lagSeconds);
  }
}
