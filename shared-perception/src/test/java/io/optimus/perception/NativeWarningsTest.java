package io.optimus.perception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's native warnings (NNPACK's "Unsupported hardware", thousands of lines on AVX-512 CPUs)
 * never reach the user's terminal. Native code writes to file descriptor 2 directly, which only a
 * child process's stderr shows.
 */
class NativeWarningsTest {
  @Test
  void aFreshProcessRunningConvolutionsPrintsNoNativeWarnings() throws Exception {
    String out = runProbe(Map.of());
    assertTrue(out.contains("probe done"), out);
    assertFalse(out.contains("NNPACK"), out);
    assertFalse(out.contains("[W"), "no c10 warning lines:\n" + out);
  }

  @Test
  void aUsersOwnLogLevelWins() throws Exception {
    // Where this CPU makes NNPACK complain, asking for warnings shows them: the check above is real.
    String out = runProbe(Map.of("TORCH_CPP_LOG_LEVEL", "WARNING"));
    assertTrue(out.contains("probe done"), out);
    org.junit.jupiter.api.Assumptions.assumeTrue(out.contains("NNPACK"),
        "NNPACK initialises on this CPU, so it has nothing to warn about");
    assertTrue(out.lines().filter(l -> l.contains("NNPACK")).count() >= 1);
  }

  private static String runProbe(Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Dai.djl.offline=true", "-Xmx1g",
        "-Dai.djl.pytorch.num_threads=1", // single-threaded small convs are where PyTorch tries NNPACK
        "-cp", System.getProperty("java.class.path"), NativeWarningsProbe.class.getName()))
        .redirectErrorStream(true);
    pb.environment().remove("TORCH_CPP_LOG_LEVEL");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe finished");
    String out = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
