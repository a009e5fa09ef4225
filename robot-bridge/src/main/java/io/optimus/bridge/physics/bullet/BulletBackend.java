package io.optimus.bridge.physics.bullet;

import io.optimus.bridge.physics.PhysicsBackend;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.motion.model.RobotModel;

/** Bullet's Featherstone multibody through Libbulletjme (double-precision natives from the jar). */
public final class BulletBackend implements PhysicsBackend {
  @Override
  public String name() {
    return "bullet (" + BulletNatives.version() + ")";
  }

  @Override
  public BulletWorld create(RobotModel model, PhysicsScene scene, double[] initialQ) {
    return new BulletWorld(model, scene, initialQ);
  }
}
