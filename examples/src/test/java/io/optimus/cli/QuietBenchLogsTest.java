package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimus bench mocap-stream} as its own process (slf4j-simple fixes a logger's level when it is made,
 * so a fresh JVM): the bridge it starts clamps the clip's motion and logs a WARN line per clamp, which the
 * bench keeps off the terminal; asked for them explicitly ({@code -D}), they are there.
 */
class QuietBenchLogsTest {
  @TempDir Path tmp;

  static Path clip() {
    return io.optimus.motion.testing.SharedData.mocapClip(io.optimus.motion.testing.SharedData.CMU_WALK);
  }

  /** Runs the bench; returns its stderr lines (stdout checked: the figures are printed). */
  private List<String> bench(String... jvmProps) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmProps));
    cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        OptimusCli.class.getName(), "bench", "mocap-stream", "--bvh", clip().toString(), "--modes", "fixed",
        "--seconds", "1", "--warmup", "0.5"));
    Path out = tmp.resolve("out-" + jvmProps.length + ".txt");
    Path err = tmp.resolve("err-" + jvmProps.length + ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the bench did not finish in 90 s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + String.join("\n", stderr));
    assertTrue(stdout.contains("p99"), "the bench printed its figures: " + stdout);
    return stderr;
  }

  private static List<String> warnings(List<String> lines) {
    return lines.stream().filter(l -> l.contains(" WARN ")).toList();
  }

  @Test
  void benchesKeepTheLibrariesWarningsOffTheTerminalUnlessAskedFor() throws Exception {
    List<String> quiet = bench();
    assertEquals(List.of(), warnings(quiet), "library warnings during a bench");
    List<String> asked = bench("-Dorg.slf4j.simpleLogger.log.io.optimus=warn");
    assertTrue(warnings(asked).stream().anyMatch(l -> l.contains("safety")),
        "the bridge's safety warnings when asked for (the bench does make them): " + asked);
  }
}
