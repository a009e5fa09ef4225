package io.optimus.bridge.physics;

import io.optimus.motion.model.RobotModel;

/** Builds a {@link PhysicsWorld} for a robot model and a scene; one per engine. */
public interface PhysicsBackend {
  /** Engine name and version, e.g. "bullet 3.x (Libbulletjme 23.1.0, double precision)". */
  String name();

  /**
   * A new world with the robot at {@code initialQ} on its stand and the objects where the caller
   * places them. Throws {@link io.optimus.common.InputException} naming the link or joint when the
   * model cannot be simulated ({@link DynamicsCheck}).
   */
  PhysicsWorld create(RobotModel model, PhysicsScene scene, double[] initialQ);
}
