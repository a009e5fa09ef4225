package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared CMU clips; tests skip when ../shared is absent. */
final class SharedClips {
  static final String WALK_MB = "cmu_02_01_walk__mb.bvh";
  static final String WALK_3DSMAX = "cmu_131_01_start_walk_stop__3dsmax.bvh";
  static final String PICKUP_ICLONE = "cmu_02_06_bend_scoop_up_lift_arm__iclone.bvh";

  private SharedClips() {}

  static Path dir() {
    String shared = System.getProperty("optimus.shared.dir");
    assumeTrue(shared != null, "optimus.shared.dir not set");
    Path dir = Path.of(shared, "data", "mocap");
    assumeTrue(Files.isDirectory(dir), "no shared mocap clips at " + dir);
    return dir;
  }

  static Path clip(String name) {
    Path p = dir().resolve(name);
    assumeTrue(Files.isRegularFile(p), "missing " + p);
    return p;
  }
}
