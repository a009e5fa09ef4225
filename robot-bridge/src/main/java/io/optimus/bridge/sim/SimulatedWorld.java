package io.optimus.bridge.sim;

import io.optimus.bridge.body.RobotBody;
import io.optimus.bridge.physics.ContactEvent;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.proto.v1.RobotDescription;

/**
 * What a simulated robot acts in: its body (the joints the control loop reads and commands) and the
 * task's objects, advanced together each control tick. {@link KinematicWorld} moves kinematic objects
 * around independent joints; {@link PhysicsSimulatedWorld} replaces body and objects as one unit (its
 * body's {@code write} steps the physics, {@link #stepObjects} copies the objects' states into the task
 * world). Hosts choose one by name: {@link SimulatedWorlds}.
 */
public interface SimulatedWorld extends AutoCloseable {
  /** The robot's joints as the control loop sees them. */
  RobotBody body();

  /**
   * The task's objects as the task topic, the camera and the success predicate see them; null when
   * there is no task. Other threads read it holding its lock, which the control loop holds while stepping.
   */
  TaskWorld objects();

  /** Moves the objects {@code dt} seconds after the body took its command; palms from forward kinematics. */
  void stepObjects(double dt, HandSample left, HandSample right);

  /**
   * Contact onsets between bodies, for worlds that simulate contact (the kinematic one has none): called
   * on the control thread with the loop's time of the tick that found them.
   */
  default void onContact(ContactListener listener) {}

  /** True when the pelvis is fixed on a stand (bent legs do not move it), false when it stands on its feet. */
  default boolean onStand() {
    return false;
  }

  @Override
  void close();

  /** Receives contact onsets ({@link #onContact}). */
  @FunctionalInterface
  interface ContactListener {
    void contact(long nowNs, ContactEvent event);
  }

  /** What to build: the robot's id, the task (null for none), the world seed and the table height. */
  record Spec(String robotId, String task, long seed, double tableTop) {
    public boolean hasTask() {
      return task != null && !task.isEmpty();
    }
  }

  /** Builds a world for one robot, its body starting at the rig's home pose. */
  @FunctionalInterface
  interface Factory {
    SimulatedWorld create(RobotRig rig, RobotDescription description, Spec spec);
  }
}
