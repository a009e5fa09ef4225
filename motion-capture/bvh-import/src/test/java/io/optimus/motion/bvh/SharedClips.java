package io.optimus.motion.bvh;

import io.optimus.motion.testing.SharedData;
import java.nio.file.Path;

/** The shared CMU clips ({@link SharedData}: skipped where ../shared is absent, required in CI). */
final class SharedClips {
  static final String WALK_MB = SharedData.CMU_WALK;
  static final String WALK_3DSMAX = "cmu_131_01_start_walk_stop__3dsmax.bvh";
  static final String PICKUP_ICLONE = "cmu_02_06_bend_scoop_up_lift_arm__iclone.bvh";

  private SharedClips() {}

  static Path clip(String name) {
    return SharedData.mocapClip(name);
  }
}
