package io.optimus.motion.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real Unitree URDFs in ../shared/data/robots; tests skip when the shared directory is absent. */
public final class SharedRobots {
  private SharedRobots() {}

  public static Path h1() {
    return require("unitree_h1/h1.urdf");
  }

  public static Path g1() {
    return require("unitree_g1/g1_29dof_rev_1_0.urdf");
  }

  private static Path require(String rel) {
    String dir = System.getProperty("optimus.shared.dir");
    assumeTrue(dir != null, "optimus.shared.dir not set");
    Path p = Path.of(dir, "data", "robots", rel);
    assumeTrue(Files.isRegularFile(p), p + " absent");
    return p;
  }
}
