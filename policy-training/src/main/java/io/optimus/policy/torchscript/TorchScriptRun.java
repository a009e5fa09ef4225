package io.optimus.policy.torchscript;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a run directory imported from TorchScript: the model, its contract with the statistics
 * inline, the {@code policy.json} every run has, and a manifest with the model's hash written last.
 */
public record TorchScriptRun(Path dir) {
  public static final String FORMAT = "optimus-torchscript-policy/1";

  /** True when {@code run} holds an imported policy (its contract file). */
  public static boolean isImported(Path run) {
    return Files.isRegularFile(new TorchScriptRun(run).spec());
  }

  public Path model() {
    return dir.resolve("model.pt");
  }

  public Path spec() {
    return dir.resolve("torchscript.json");
  }

  public Path manifest() {
    return dir.resolve("manifest.json");
  }
}
