package io.optimus.policy.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TrainingReport;
import io.optimus.policy.train.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code optimus policy train}: fits a policy on recorded episodes; prints the run's report as JSON. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a mimicry policy on recorded episodes.",
        "Progress on stderr (step, loss, samples/s, ETA); the report (held-out action error per joint group) as"
            + " JSON on stdout. The run directory gets config, weights, normalization, checkpoint, loss.csv, curves.json,"
            + " metrics.json and a static report.html with its PNG plots (policy eval adds its success to it)."})
public final class PolicyTrainCommand implements Callable<Integer> {
  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "Directory of episode recordings (*.mcap), or synthetic:N for N synthetic reaching demos.")
  String dataset;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Policy config (JSON).")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run directory to create (or resume).")
  Path out;

  @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
  boolean resume;

  @Option(names = "--episodes", paramLabel = "N", description = "Use only the first N episodes (by file name).")
  Integer episodes;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = RunConfig.load(config);
    if (episodes != null && episodes < 1) {
      throw new InputException("--episodes must be positive, got " + episodes);
    }
    TrainingReport report = new TrainingRun(dataset, cfg, out).resume(resume).episodes(episodes)
        .progress(quiet ? null : System.err).run();
    System.out.println(Json.write(report));
    return 0;
  }
}
