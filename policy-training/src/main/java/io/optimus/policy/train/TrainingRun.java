package io.optimus.policy.train;

import io.optimus.policy.RunFiles;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.DemoSets;
import io.optimus.policy.encode.BackboneImageEncoder;
import io.optimus.policy.encode.ImageEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One training run from a dataset to a run directory: opens the config's image encoder, loads (and
 * encodes) the demonstrations, trains, and keeps a copy of the encoder's weights in the run so it
 * deploys alone. What {@code optimus policy train}, the demo and the policy bench all run.
 */
public final class TrainingRun {
  private final String dataset;
  private final RunConfig config;
  private final Path out;
  private boolean resume;
  private Integer maxEpisodes;
  private boolean includeFailed;
  private PrintStream progress;

  /**
   * @param dataset a directory of episode recordings, or synthetic:N
   * @param out the run directory: created, or resumed with {@link #resume}
   */
  public TrainingRun(String dataset, RunConfig config, Path out) {
    this.dataset = dataset;
    this.config = config;
    this.out = out;
  }

  /** Continue the run in {@code out} from its last checkpoint (it must have one). */
  public TrainingRun resume(boolean v) {
    resume = v;
    return this;
  }

  /** Continue from the checkpoint if {@code out} has one, else start fresh. */
  public TrainingRun resumeIfCheckpointed() {
    return resume(Files.isDirectory(new RunFiles(out).checkpoint()));
  }

  /** Use only the first N episodes (by file name); null for all. */
  public TrainingRun episodes(Integer n) {
    maxEpisodes = n;
    return this;
  }

  /** Also train on episodes marked FAILURE: only for runs whose weights do not matter (timing). */
  public TrainingRun includeFailed(boolean v) {
    includeFailed = v;
    return this;
  }

  /** Where the progress bar and loading progress go (stderr in a CLI); null for none. */
  public TrainingRun progress(PrintStream v) {
    progress = v;
    return this;
  }

  public TrainingReport run() throws IOException {
    try (ImageEncoder encoder = config.policy().encoder().open(config.train().seed(), DemoSets.imageSize(dataset))) {
      DemoSet demos = DemoSets.open(dataset, encoder, maxEpisodes, config.policy().rateHz(), includeFailed,
          config.policy().cameras(), progress);
      TrainingReport report = new PolicyTrainer(progress).train(demos, config, out, resume);
      if (encoder instanceof BackboneImageEncoder b) {
        b.save(new RunFiles(out).encoderDir());
      }
      return report;
    }
  }
}
