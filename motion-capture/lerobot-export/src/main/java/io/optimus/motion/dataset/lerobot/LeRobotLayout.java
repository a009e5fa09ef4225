package io.optimus.motion.dataset.lerobot;

import java.util.List;

/**
 * The LeRobot v3.0 dataset layout (as written by LeRobot 0.6's {@code lerobot.datasets}): version,
 * file-name templates, size limits and the quantiles its normalizers read.
 */
public final class LeRobotLayout {
  public static final String CODEBASE_VERSION = "v3.0";
  public static final int CHUNKS_SIZE = 1000;
  public static final int DATA_FILES_SIZE_IN_MB = 100;
  public static final int VIDEO_FILES_SIZE_IN_MB = 200;
  public static final String DATA_PATH = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
  public static final String VIDEO_PATH = "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";
  public static final String INFO = "meta/info.json";
  public static final String STATS = "meta/stats.json";
  public static final String TASKS = "meta/tasks.parquet";
  public static final String EPISODES = "meta/episodes/chunk-000/file-000.parquet";
  public static final String STATE = "observation.state";
  public static final String ACTION = "action";
  public static final String IMAGES_PREFIX = "observation.images.";
  /** Quantiles LeRobot's QUANTILES / QUANTILE10 normalizers read, keyed q01 ... q99. */
  public static final double[] QUANTILES = {0.01, 0.10, 0.50, 0.90, 0.99};
  public static final List<String> QUANTILE_KEYS = List.of("q01", "q10", "q50", "q90", "q99");
  /** The per-frame bookkeeping columns every LeRobot dataset has (float32 timestamp, int64 the rest). */
  public static final List<String> DEFAULT_FEATURES = List.of("timestamp", "frame_index", "episode_index", "index",
      "task_index");

  private LeRobotLayout() {}

  public static String videoKey(String camera) {
    return IMAGES_PREFIX + camera;
  }

  public static String dataPath(int chunk, int file) {
    return String.format("data/chunk-%03d/file-%03d.parquet", chunk, file);
  }

  public static String videoPath(String videoKey, int chunk, int file) {
    return String.format("videos/%s/chunk-%03d/file-%03d.mp4", videoKey, chunk, file);
  }

  /** The (chunk, file) after {@code (chunk, file)}: a chunk holds {@link #CHUNKS_SIZE} files. */
  public static int[] next(int chunk, int file) {
    return file + 1 >= CHUNKS_SIZE ? new int[] {chunk + 1, 0} : new int[] {chunk, file + 1};
  }
}
