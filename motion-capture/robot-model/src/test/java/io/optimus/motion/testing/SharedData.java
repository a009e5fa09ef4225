package io.optimus.motion.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real third-party data in ../shared/data ({@code -Doptimus.shared.dir}, set by the parent pom): a test
 * that reads it skips where the folder is absent, and fails under {@code CI=true}, where it must be there.
 */
public final class SharedData {
  /** The CMU walk clip (MotionBuilder export) most streaming tests play. */
  public static final String CMU_WALK = "cmu_02_01_walk__mb.bvh";

  private SharedData() {}

  /** {@code data/<rel>} under the shared folder, a regular file. */
  public static Path require(String rel) {
    String dir = System.getProperty("optimus.shared.dir");
    Path p = dir == null ? null : Path.of(dir, "data").resolve(rel);
    boolean present = p != null && Files.isRegularFile(p);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true but the shared file is missing: " + (p == null ? "optimus.shared.dir not set (" + rel + ")" : p));
    }
    assumeTrue(present, () -> "shared data not available: " + (p == null ? "optimus.shared.dir not set" : p));
    return p;
  }

  /** A CMU BVH clip in data/mocap. */
  public static Path mocapClip(String name) {
    return require("mocap/" + name);
  }
}
