package io.optimus.bridge.physics.bullet;

import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.SplittableRandom;

/**
 * Seeded random joint targets anywhere in each joint's limits (+-1 rad where unlimited) for the upper
 * body (arms, hands, waist, neck); legs stay at their home targets: the pelvis is on a stand.
 */
final class RandomCommands {
  private final RobotModel model;
  private final SplittableRandom random;
  private final double[] target;

  RandomCommands(RobotModel model, long seed, double[] home) {
    this.model = model;
    this.random = new SplittableRandom(seed);
    this.target = home.clone();
  }

  double[] next() {
    for (Joint j : model.dofJoints()) {
      if (j.group().endsWith("_leg")) {
        continue;
      }
      double lo = j.limits().hasPositionLimits() ? j.limits().lower() : -1;
      double hi = j.limits().hasPositionLimits() ? j.limits().upper() : 1;
      target[j.qIndex()] = lo + random.nextDouble() * (hi - lo);
    }
    return target;
  }
}
