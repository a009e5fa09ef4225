package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Monado, the real OpenXR runtime, as built by scripts/monado-build.sh (in-process, null compositor,
 * simulated and remote drivers). Its manifest comes from OPTIMUS_MONADO_RUNTIME_JSON; without it the
 * calling test is skipped, unless CI=true (then it fails: CI must test against a real runtime).
 * Each client runs as a child JVM ({@link TeleopChild}): Monado reads its settings once per process.
 */
final class Monado {
  static final String CORE_VALIDATION = "XR_APILAYER_LUNARG_core_validation";
  private static final Path CORE_VALIDATION_MANIFEST =
      Paths.get("/usr/share/openxr/1/api_layers/explicit.d/XrApiLayer_core_validation.x86_64-linux-gnu.json");
  private static final Path LAVAPIPE = Paths.get("/usr/share/vulkan/icd.d/lvp_icd.x86_64.json");

  private Monado() {}

  static Path manifest() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String env = System.getenv("OPTIMUS_MONADO_RUNTIME_JSON");
    String why = null;
    if (env == null || env.isBlank()) {
      why = "OPTIMUS_MONADO_RUNTIME_JSON is not set (scripts/monado-build.sh prints the manifest to set it to)";
    } else if (!Files.isRegularFile(Paths.get(env))) {
      why = "OPTIMUS_MONADO_RUNTIME_JSON=" + env + " does not exist";
    } else if (!Files.isRegularFile(CORE_VALIDATION_MANIFEST)) {
      why = "the Khronos core validation layer is missing (apt-get install openxr-layer-corevalidation)";
    }
    if (why != null) {
      if (ci) {
        fail("CI must test against Monado but " + why);
      }
      assumeTrue(false, "skipping the Monado tests: " + why);
    }
    return Paths.get(env);
  }

  /**
   * A child {@code optimus teleop} against Monado with the core validation layer writing to
   * {@code dir/validation.txt}, Monado's entry-point log on the child's stderr, {@code settings}
   * (e.g. SIMULATED_ENABLE=1) in its environment; stdout and stderr go to files in {@code dir}.
   */
  static ProcessBuilder teleop(Path dir, Map<String, String> settings, String... args) throws IOException {
    Path xdg = Files.createDirectories(dir.resolve("xdg-runtime"));
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        TeleopChild.class.getName(), "--xr-runtime", manifest().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile());
    Map<String, String> env = pb.environment();
    env.put("XDG_RUNTIME_DIR", xdg.toString());
    env.put("XDG_CONFIG_HOME", Files.createDirectories(dir.resolve("config")).toString());
    if (!settings.containsKey("DISPLAY")) {
      env.put("XRT_COMPOSITOR_NULL", "1"); // no window: headless tests
    }
    if (Files.isRegularFile(LAVAPIPE)) {
      env.put("VK_ICD_FILENAMES", LAVAPIPE.toString());
    }
    env.put("OXR_DEBUG_ENTRYPOINTS", "1");
    env.put("XR_ENABLE_API_LAYERS", CORE_VALIDATION);
    env.put("XR_CORE_VALIDATION_EXPORT_TYPE", "text");
    env.put("XR_CORE_VALIDATION_FILE_NAME", dir.resolve("validation.txt").toString());
    env.putAll(settings);
    return pb;
  }

  /** The remote driver's port for children started with {@code dir}: Monado reads it from its config file. */
  static void remotePort(Path dir, int port) throws IOException {
    Path monado = Files.createDirectories(dir.resolve("config").resolve("monado"));
    Files.writeString(monado.resolve("config_v0.json"),
        "{\"remote\": {\"version\": 0, \"port\": " + port + ", \"view_count\": 2}}\n");
  }
}
