package io.optimus.motion.dataset.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Readers that share no code with the exporter: hyparquet (JavaScript, src/test/node; installed by
 * {@code npm ci --prefix motion-capture/lerobot-export/src/test/node}) for Parquet, and Debian's
 * ffprobe/ffmpeg command-line tools (package {@code ffmpeg}) for the MP4s. Tests skip without them.
 */
final class ExternalReaders {
  private static final Path NODE_DIR = locate();

  private ExternalReaders() {}

  private static Path locate() {
    for (Path p : new Path[] {Path.of("src/test/node"), Path.of("motion-capture/lerobot-export/src/test/node")}) {
      if (Files.isDirectory(p.resolve("node_modules/hyparquet"))) {
        return p.toAbsolutePath();
      }
    }
    return null;
  }

  static Optional<String> unavailable() {
    if (NODE_DIR == null) {
      return Optional.of("hyparquet missing (run: npm ci --prefix motion-capture/lerobot-export/src/test/node)");
    }
    for (String tool : new String[] {"node", "ffprobe", "ffmpeg"}) {
      try {
        Process p = new ProcessBuilder(tool, tool.equals("node") ? "--version" : "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return Optional.of(tool + " does not run");
        }
      } catch (IOException e) {
        return Optional.of(tool + " is not installed" + (tool.equals("node") ? "" : " (apt-get install ffmpeg)"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      }
    }
    return Optional.empty();
  }

  /** {columns, metadata, rows} of a Parquet file, as hyparquet reads it. */
  static JsonNode parquet(Path file) throws IOException, InterruptedException {
    return Json.MAPPER.readTree(run(List.of("node", NODE_DIR.resolve("read-parquet.mjs").toString(),
        file.toAbsolutePath().toString()), NODE_DIR));
  }

  /** Presentation time (s) of every decoded frame of the first video stream, in decoding order. */
  static List<Double> frameTimes(Path mp4) throws IOException, InterruptedException {
    String out = new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
        "frame=pts_time", "-of", "csv=p=0", mp4.toString()), null), StandardCharsets.US_ASCII);
    List<Double> times = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        times.add(Double.parseDouble(line.strip().replace(",", "")));
      }
    }
    return times;
  }

  /** Stream facts: codec_name, pix_fmt, time_base, width, height (ffprobe's names). */
  static JsonNode stream(Path mp4) throws IOException, InterruptedException {
    return Json.MAPPER.readTree(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_streams",
        "-of", "json", mp4.toString()), null)).path("streams").path(0);
  }

  /** Every frame decoded to packed RGB24, back to back. */
  static byte[] rgbFrames(Path mp4) throws IOException, InterruptedException {
    return run(List.of("ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), null);
  }

  private static byte[] run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path err = Files.createTempFile("external-reader", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + Files.readString(err));
      }
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
