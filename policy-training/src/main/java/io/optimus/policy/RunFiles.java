package io.optimus.policy;

import java.nio.file.Path;

/** The layout of a training run directory; one place so trainer, loader and CLI agree. */
public record RunFiles(Path dir) {
  public Path config() {
    return dir.resolve("config.json");
  }

  public Path meta() {
    return dir.resolve("policy.json");
  }

  public Path normalizer() {
    return dir.resolve("normalizer.json");
  }

  public Path params() {
    return dir.resolve("model.params");
  }

  public Path checkpoint() {
    return dir.resolve("checkpoint");
  }

  public Path lossCsv() {
    return dir.resolve("loss.csv");
  }

  public Path lossPng() {
    return dir.resolve("loss.png");
  }

  public Path metrics() {
    return dir.resolve("metrics.json");
  }

  /** The run's static HTML report (metrics, loss curve, held-out errors), beside its PNG plots. */
  public Path report() {
    return dir.resolve("report.html");
  }

  /** Held-out action error per joint group against the mean-action baseline (PNG). */
  public Path actionErrorsPng() {
    return dir.resolve("action-errors.png");
  }

  /** Where a frozen image encoder that is not reproducible from its spec (a scratch backbone) is saved. */
  public Path encoderDir() {
    return dir.resolve("encoder");
  }
}
