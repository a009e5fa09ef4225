package io.optimus.bridge.body;

import io.optimus.proto.v1.RobotDescription;

/**
 * The driver boundary: the simulated body is one implementation, real hardware another. Arrays are
 * in the description's joint order. Calls come from the control loop thread only, once per tick,
 * and must not block for long or allocate.
 */
public interface RobotBody extends AutoCloseable {
  /** What this body is: joints, limits, cameras (robot id filled in). */
  RobotDescription describe();

  /** Measured state at {@code nowNs} (monotonic), written into {@code out}. */
  void read(long nowNs, BodyState out);

  /**
   * The command to follow from now on: positions, and optionally velocities and feed-forward
   * efforts (null when absent).
   */
  void write(long nowNs, double[] position, double[] velocity, double[] effort);

  /**
   * Puts a simulated body at {@code q} at rest, its command with it (a new episode from the start pose);
   * false, doing nothing, for a body that cannot be moved so (real hardware). Control loop thread only.
   */
  default boolean place(double[] q) {
    return false;
  }

  @Override
  default void close() {}
}
