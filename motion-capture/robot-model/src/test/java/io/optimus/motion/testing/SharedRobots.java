package io.optimus.motion.testing;

import java.nio.file.Path;

/** The real Unitree URDFs in ../shared/data/robots ({@link SharedData}: skipped where absent, required in CI). */
public final class SharedRobots {
  private SharedRobots() {}

  public static Path h1() {
    return SharedData.require("robots/unitree_h1/h1.urdf");
  }

  public static Path g1() {
    return SharedData.require("robots/unitree_g1/g1_29dof_rev_1_0.urdf");
  }
}
