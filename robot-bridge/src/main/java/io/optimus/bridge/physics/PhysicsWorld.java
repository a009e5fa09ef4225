package io.optimus.bridge.physics;

import io.optimus.motion.model.RobotModel;
import java.util.function.Consumer;

/**
 * A robot under contact dynamics with the scene around it, stepped in fixed control ticks. The engine
 * (Bullet today; MuJoCo through FFM or a real robot could stand in) is hidden behind this. Joint arrays
 * are in the model's q order; mimic joints follow their source whatever is commanded for them.
 * Single-threaded: the control loop owns it. {@link #step} allocates little: the Bullet backend one
 * manifold-id array per substep (Libbulletjme's API) and an event per contact onset.
 */
public interface PhysicsWorld extends AutoCloseable {
  RobotModel model();

  PhysicsScene scene();

  /** Simulated time since creation (ns). */
  long timeNs();

  /**
   * Joint-position targets from now on (clamped into the limits); the drives' PDs track them. A NaN
   * entry switches that joint's drive off (no command: it hangs limp), {@code null} all of them.
   */
  void command(double[] position);

  /** Advances one control tick ({@link PhysicsScene#tickSeconds()}), running the substeps. */
  void step();

  /** Measured joint positions, velocities and applied drive torques. */
  void readJoints(double[] position, double[] velocity, double[] effort);

  /** Teleports the robot to {@code q} at rest and makes it the command (resets, not physics). */
  void resetJoints(double[] q);

  /** World pose of link {@code linkIndex} (model index): position (x, y, z) and orientation (w, x, y, z). */
  void linkPose(int linkIndex, double[] position, double[] orientation);

  int objectCount();

  ObjectSpec object(int index);

  /** Object pose in the world: position (x, y, z) and orientation (w, x, y, z). */
  void objectPose(int index, double[] position, double[] orientation);

  /** Object linear velocity (m/s). */
  void objectVelocity(int index, double[] velocity);

  /** Teleports object {@code index} to a pose, at rest (for resets and layouts). */
  void placeObject(int index, double[] position, double[] orientation);

  /**
   * True when link {@code linkIndex} (model index; links merged into one rigid body share its contacts)
   * touches object {@code index} after the last {@link #step}. Allocation-free.
   */
  boolean touching(int linkIndex, int objectIndex);

  /** Receives contact onsets, on the stepping thread, during {@link #step}. */
  void onContact(Consumer<ContactEvent> listener);

  /** Kinetic plus gravitational potential energy of robot and objects (J), for stability checks. */
  double energy();

  @Override
  void close();
}
