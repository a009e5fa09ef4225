package io.optimus.motion.record.mcap;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the official MCAP TypeScript reader (@mcap/core, src/test/node/read-mcap.cjs) on a file.
 * Available when node is on the PATH and src/test/node/node_modules is installed
 * ({@code npm ci --prefix motion-capture/episode-format/src/test/node}); tests skip otherwise.
 */
public final class NodeMcapReader {
  private static final Path DIR = locate();

  private NodeMcapReader() {}

  private static Path locate() {
    for (Path p : new Path[] {Path.of("src/test/node"), Path.of("../motion-capture/episode-format/src/test/node"),
        Path.of("motion-capture/episode-format/src/test/node")}) {
      if (Files.isDirectory(p.resolve("node_modules/@mcap/core")) && Files.isDirectory(p.resolve("node_modules/@mcap/support"))) {
        return p.toAbsolutePath();
      }
    }
    return null;
  }

  /** Whether node and the npm modules are there; a reason to skip otherwise. */
  public static Optional<String> unavailable() {
    if (DIR == null) {
      return Optional.of("src/test/node/node_modules missing (run: npm ci --prefix motion-capture/episode-format/src/test/node)");
    }
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of("node does not run");
      }
    } catch (IOException e) {
      return Optional.of("node is not installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    return Optional.empty();
  }

  /** As {@link #unavailable()}, and also when @foxglove/schemas (for check-foxglove.cjs) is not installed. */
  public static Optional<String> foxgloveUnavailable() {
    Optional<String> why = unavailable();
    if (why.isEmpty() && !Files.isDirectory(DIR.resolve("node_modules/@foxglove/schemas"))) {
      return Optional.of("src/test/node/node_modules/@foxglove/schemas missing (run: npm ci --prefix motion-capture/episode-format/src/test/node)");
    }
    return why;
  }

  /** The reader's JSON summary of {@code file}; throws with the reader's stderr if it fails. */
  public static JsonNode read(Path file) throws IOException, InterruptedException {
    return run("read-mcap.cjs", file);
  }

  /**
   * The Foxglove scene check's JSON summary of {@code file} (check-foxglove.cjs: every foxglove.*
   * message decoded with Foxglove's published schemas too, the transform tree); throws if it fails.
   */
  public static JsonNode checkFoxglove(Path file) throws IOException, InterruptedException {
    return run("check-foxglove.cjs", file);
  }

  /** As {@link #unavailable()}, and also when urdf-loader, three and linkedom (for check-urdf.mjs) are not installed. */
  public static Optional<String> urdfLoaderUnavailable() {
    Optional<String> why = unavailable();
    for (String m : new String[] {"urdf-loader", "three", "linkedom"}) {
      if (why.isEmpty() && !Files.isDirectory(DIR.resolve("node_modules/" + m))) {
        return Optional.of("src/test/node/node_modules/" + m + " missing (run: npm ci --prefix motion-capture/episode-format/src/test/node)");
      }
    }
    return why;
  }

  /**
   * three.js's urdf-loader's JSON summary of the URDF {@code file} (check-urdf.mjs: links, joints by type,
   * meshes by geometry, and whether setting {@code probeJoint} to 1 moves its link); throws if it fails.
   */
  public static JsonNode checkUrdf(Path file, String probeJoint) throws IOException, InterruptedException {
    return run("check-urdf.mjs", file, probeJoint);
  }

  private static JsonNode run(String script, Path file, String... args) throws IOException, InterruptedException {
    Path err = Files.createTempFile("read-mcap", ".err");
    try {
      java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("node", DIR.resolve(script).toString(),
          file.toAbsolutePath().toString()));
      cmd.addAll(java.util.List.of(args));
      Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("node reader timed out on " + file);
      }
      if (p.exitValue() != 0) {
        throw new IOException(script + " rejected " + file + ": " + Files.readString(err));
      }
      return Json.MAPPER.readTree(new String(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
