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

  /** The run's static HTML report (metrics, loss curves, held-out errors, evaluations), beside its PNG plots. */
  public Path report() {
    return dir.resolve("report.html");
  }

  /** Held-out action error per joint group against the mean-action baseline (PNG). */
  public Path actionErrorsPng() {
    return dir.resolve("action-errors.png");
  }

  /** Every plotted number of the run (loss per split and joint group, by step) as JSON, beside loss.png. */
  public Path curves() {
    return dir.resolve("curves.json");
  }

  /** One line of JSON per closed-loop evaluation of this run ({@code policy eval}, {@code bench policy}). */
  public Path evaluations() {
    return dir.resolve("evaluations.jsonl");
  }

  /** Success rate per evaluation (PNG). */
  public Path successPng() {
    return dir.resolve("success.png");
  }

  /** Where a frozen image encoder that is not reproducible from its spec (a scratch backbone) is saved. */
  public Path encoderDir() {
    return dir.resolve("encoder");
  }
}
