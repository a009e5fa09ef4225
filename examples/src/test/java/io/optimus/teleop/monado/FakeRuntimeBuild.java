package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** teleop-vr's fake OpenXR runtime (C), built with gcc for the tests here that run the client as a process. */
final class FakeRuntimeBuild {
  static final Path SOURCE = Paths.get("../teleop-vr/src/test/c/fake_openxr_runtime.c");
  static final Path VALIDATION =
      Paths.get("/usr/share/openxr/1/api_layers/explicit.d/XrApiLayer_core_validation.x86_64-linux-gnu.json");

  private FakeRuntimeBuild() {}

  /**
   * Builds the runtime into {@code dir} and returns its manifest (JSON). Skips without gcc, libopenxr-dev or
   * the core validation layer, except on CI, where {@code tests} (what needs it, for the message) fail.
   */
  static Path manifest(Path dir, String tests) throws Exception {
    boolean ok = Files.isRegularFile(Paths.get("/usr/include/openxr/openxr.h")) && Files.isRegularFile(VALIDATION)
        && Files.isRegularFile(SOURCE);
    if (!ok && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI must run the " + tests + ": gcc, libopenxr-dev and openxr-layer-corevalidation are needed");
    }
    assumeTrue(ok, "skipping: libopenxr-dev or openxr-layer-corevalidation missing");
    Path lib = dir.resolve("libfake_openxr_runtime.so");
    Process gcc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-O1", "-shared", "-fPIC", "-fvisibility=hidden",
        "-o", lib.toString(), SOURCE.toAbsolutePath().toString(), "-lm").redirectErrorStream(true).start();
    String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + out);
    Path json = dir.resolve("fake_runtime.json");
    Files.writeString(json, "{\"file_format_version\": \"1.0.0\", \"runtime\": {\"name\": \"optimus fake runtime\","
        + " \"library_path\": \"" + lib + "\"}}\n");
    return json;
  }
}
