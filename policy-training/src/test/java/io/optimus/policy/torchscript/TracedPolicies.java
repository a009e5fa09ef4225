package io.optimus.policy.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Traces policies with the real PyTorch (Debian's python3-torch) through
 * {@code src/test/python/trace_policy.py}. Without python3-torch the tests that need it are skipped
 * with a message; under CI (CI=true) its absence fails them.
 */
public final class TracedPolicies {
  private static String python;

  private TracedPolicies() {}

  /** The trace script, found from this module's or a sibling module's directory. */
  public static Path script() {
    for (Path p : List.of(Path.of("src/test/python/trace_policy.py"),
        Path.of("../policy-training/src/test/python/trace_policy.py"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException("trace_policy.py not found from " + Path.of("").toAbsolutePath());
  }

  /** A Python that imports torch; skips (or fails under CI) when there is none. */
  public static synchronized String python() {
    if (python == null) {
      for (String candidate : List.of("/usr/bin/python3", "python3")) {
        try {
          Process p = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
          p.getInputStream().readAllBytes();
          if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
            python = candidate;
            break;
          }
        } catch (IOException e) {
          // not installed: try the next
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      if (python == null) {
        String why = "python3-torch is not installed (apt-get install python3-torch): no traced model to import";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          fail(why);
        }
        assumeTrue(false, why);
      }
    }
    return python;
  }

  /** Runs trace_policy.py with these arguments; returns its output directory. */
  public static Path trace(Path out, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(python(), script().toString(), "--out", out.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("trace_policy.py did not finish: " + log);
    }
    assertEquals(0, p.exitValue(), "trace_policy.py: " + log);
    return out;
  }

  /**
   * A LeRobot-style stats.json: observation.state and action mean/std per joint, min/max at mean -/+ 2
   * std (LeRobot writes all four), image mean/std per channel.
   */
  public static Path stats(Path file, float[] qMean, float[] qStd, float[] aMean, float[] aStd) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, Json.write(Map.of(
        "observation.state", Map.of("mean", qMean, "std", qStd, "min", shifted(qMean, qStd, -2), "max",
            shifted(qMean, qStd, 2)),
        "action", Map.of("mean", aMean, "std", aStd, "min", shifted(aMean, aStd, -2), "max", shifted(aMean, aStd, 2)),
        "observation.images.head", Map.of("mean", new float[][][] {{{0.45f}}, {{0.5f}}, {{0.4f}}},
            "std", new float[][][] {{{0.25f}}, {{0.2f}}, {{0.3f}}}))));
    return file;
  }

  private static float[] shifted(float[] mean, float[] std, float k) {
    float[] out = new float[mean.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean[i] + k * std[i];
    }
    return out;
  }
}
