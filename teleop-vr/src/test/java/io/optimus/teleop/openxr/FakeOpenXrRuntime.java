package io.optimus.teleop.openxr;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the fake OpenXR runtime (src/test/c/fake_openxr_runtime.c) with gcc into target/fakexr once
 * per JVM and points the real OpenXR loader at it. Skips the calling test when gcc or the OpenXR
 * headers are missing, unless CI=true (then that is a failure: CI must test the OpenXR path).
 */
final class FakeOpenXrRuntime {
  private static final Path SOURCE = Paths.get("src/test/c/fake_openxr_runtime.c");
  private static final Path DIR = Paths.get("target/fakexr").toAbsolutePath();
  private static Path manifest;

  private FakeOpenXrRuntime() {}

  /** The runtime manifest, building the library first if needed. */
  static synchronized Path manifest() throws IOException, InterruptedException {
    if (manifest != null) {
      return manifest;
    }
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean headers = Files.isRegularFile(Paths.get("/usr/include/openxr/openxr.h"));
    boolean gcc = onPath("gcc");
    if (!headers || !gcc) {
      String why = (gcc ? "" : "gcc is not installed; ") + (headers ? "" : "the OpenXR headers (libopenxr-dev) are missing");
      if (ci) {
        fail("CI must build the fake OpenXR runtime but " + why);
      }
      assumeTrue(false, "skipping the OpenXR tests: " + why + " (apt-get install gcc libopenxr-dev)");
    }
    Files.createDirectories(DIR);
    Path lib = DIR.resolve("libfake_openxr_runtime.so");
    Process p = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-O1", "-shared", "-fPIC", "-fvisibility=hidden",
        "-o", lib.toString(), SOURCE.toAbsolutePath().toString(), "-lm")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("gcc failed to build the fake OpenXR runtime:\n" + out);
    }
    Path json = DIR.resolve("fake_runtime.json");
    Files.writeString(json, "{\n  \"file_format_version\": \"1.0.0\",\n  \"runtime\": {\n"
        + "    \"name\": \"optimus fake runtime\",\n    \"library_path\": \"" + lib + "\"\n  }\n}\n");
    manifest = json;
    return json;
  }

  /** Writes {@code script} and selects it (and a fresh report file) for the next instance. */
  static Path useScript(String name, String script) throws IOException {
    Path s = DIR.resolve(name + ".script");
    Path report = DIR.resolve(name + ".report");
    Files.writeString(s, script);
    Files.deleteIfExists(report);
    XrEnvironment.set("OPTIMUS_FAKEXR_SCRIPT", s.toString());
    XrEnvironment.set("OPTIMUS_FAKEXR_REPORT", report.toString());
    // counters the runtime keeps across its instances (it is unloaded with each one)
    XrEnvironment.set("OPTIMUS_FAKEXR_INSTANCES_N", "0");
    XrEnvironment.set("OPTIMUS_FAKEXR_RUNTIME_GONE_N", "0");
    return report;
  }

  /** The key=value reports the runtime wrote when each instance was destroyed, in order. */
  static java.util.List<Map<String, String>> reports(Path file) throws IOException {
    java.util.List<Map<String, String>> all = new java.util.ArrayList<>();
    Map<String, String> m = null;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("extensions=")) {
        all.add(m = new HashMap<>());
      }
      int eq = line.indexOf('=');
      if (eq > 0 && m != null) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return all;
  }

  /** The key=value report the runtime wrote when the (last) instance was destroyed. */
  static Map<String, String> report(Path file) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Paths.get(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
