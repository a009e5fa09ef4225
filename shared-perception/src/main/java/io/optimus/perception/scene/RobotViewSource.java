package io.optimus.perception.scene;

import java.util.List;

/**
 * Labelled robot camera frames for training and evaluation. The simulator that renders them lives
 * outside this module (robot-bridge may not meet DJL); policy-training's {@code SimRobotViews} is the
 * implementation the CLI uses.
 */
@FunctionalInterface
public interface RobotViewSource {
  /** {@code count} views of side {@code size}, a pure function of (seed, count, size). */
  List<RobotView> views(int count, int size, long seed);
}
