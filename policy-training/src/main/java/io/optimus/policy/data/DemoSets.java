package io.optimus.policy.data;

import io.optimus.common.InputException;
import io.optimus.policy.encode.ImageEncoder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens the demonstrations a {@code --dataset} argument names: a recording directory or synthetic:N. */
public final class DemoSets {
  public static final String SYNTHETIC = "synthetic:";
  static final int SYNTHETIC_TICKS = 60;
  static final int SYNTHETIC_IMAGE = 96;

  private DemoSets() {}

  public static int imageSize(String dataset) {
    return dataset.startsWith(SYNTHETIC) ? SYNTHETIC_IMAGE : RecordedDemos.imageSize(directory(dataset));
  }

  public static DemoSet open(String dataset, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      PrintStream progress) {
    return open(dataset, encoder, maxEpisodes, policyRateHz, false, progress);
  }

  /** @param includeFailed also use recorded episodes marked FAILURE (for timing runs, never for training a task) */
  public static DemoSet open(String dataset, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      boolean includeFailed, PrintStream progress) {
    return open(dataset, encoder, maxEpisodes, policyRateHz, includeFailed, List.of(RecordedDemos.CAMERA), progress);
  }

  /**
   * @param cameras the cameras each sample sees, in order; a synthetic set shows its one image to each
   */
  public static DemoSet open(String dataset, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      boolean includeFailed, List<String> cameras, PrintStream progress) {
    if (dataset.startsWith(SYNTHETIC)) {
      int n;
      try {
        n = Integer.parseInt(dataset.substring(SYNTHETIC.length()));
      } catch (NumberFormatException e) {
        throw new InputException("dataset '" + dataset + "': synthetic:N needs a number of episodes", e);
      }
      if (n < 2) {
        throw new InputException("dataset '" + dataset + "': need at least 2 synthetic episodes");
      }
      DemoSet all = new SyntheticReaching(SYNTHETIC_TICKS, SYNTHETIC_IMAGE).generate(n, encoder, 0, cameras);
      return maxEpisodes == null ? all : all.withEpisodes(all.episodes().subList(0, Math.min(n, maxEpisodes)));
    }
    return RecordedDemos.load(directory(dataset), encoder, maxEpisodes, policyRateHz, includeFailed, cameras, progress);
  }

  private static Path directory(String dataset) {
    Path dir = Path.of(dataset);
    if (!Files.isDirectory(dir)) {
      throw new InputException("dataset " + dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
    }
    return dir;
  }
}
