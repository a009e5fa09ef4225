package io.optimus.motion.bench;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The robots the benchmarks run on: the shipped optimus and the Unitree G1 from the shared data. */
final class BenchRobots {
  static final String OPTIMUS = "optimus";
  static final String G1 = "g1";

  private BenchRobots() {}

  /**
   * The G1 URDF, or null when the shared data is absent. Looked up like {@code optimus bench ik}:
   * -Doptimus.shared.dir, then $OPTIMUS_SHARED_DIR, then ../shared from the working directory.
   */
  static Path g1Urdf() {
    String dir = System.getProperty("optimus.shared.dir");
    if (dir == null) {
      dir = System.getenv("OPTIMUS_SHARED_DIR");
    }
    Path base = dir != null ? Path.of(dir) : Path.of("..", "shared");
    Path p = base.resolve("data/robots/unitree_g1/g1_29dof_rev_1_0.urdf").toAbsolutePath().normalize();
    return Files.isRegularFile(p) ? p : null;
  }

  static RobotModel load(String robot) {
    return switch (robot) {
      case OPTIMUS -> Robots.load(OPTIMUS);
      case G1 -> {
        Path p = g1Urdf();
        if (p == null) {
          throw new IllegalStateException("G1 URDF not found: set -Doptimus.shared.dir or $OPTIMUS_SHARED_DIR");
        }
        yield UrdfLoader.load(p);
      }
      default -> throw new IllegalArgumentException("unknown robot '" + robot + "' (optimus or g1)");
    };
  }
}
