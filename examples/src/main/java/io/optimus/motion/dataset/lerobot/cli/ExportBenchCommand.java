package io.optimus.motion.dataset.lerobot.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.dataset.lerobot.LeRobotExporter;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.motion.record.SyntheticRecording;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.RobotDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optimus bench export}: records synthetic episodes (52 joints at 250 Hz, a 96x96 head camera at
 * 30 Hz by default), exports them as LeRobot v3.0 and prints exported frames per second of wall time
 * and the export's bytes per minute of recording (next to the MCAP source's).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"LeRobot export speed and size: synthetic episodes (52 joints at 250 Hz, a 96x96 head camera at "
        + "30 Hz) exported at 50 fps. Prints frames exported per second and bytes per minute of recording (JSON)."})
public final class ExportBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--episodes", defaultValue = "3", description = "Episodes (default ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seconds", defaultValue = "20", description = "Length of each episode, s (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--joints", defaultValue = "52", description = "Joints (default ${DEFAULT-VALUE}).")
  int joints;

  @Option(names = "--camera-size", defaultValue = "96", description = "Square head-camera side, px (default ${DEFAULT-VALUE}).")
  int cameraSize;

  @Option(names = "--fps", defaultValue = "50", description = "Export rate (default ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--crf", defaultValue = "30", description = "AV1 quality (default ${DEFAULT-VALUE}).")
  int crf;

  @Override
  public Integer call() throws Exception {
    DatasetExportCommand.quietLibraryLogs();
    if (episodes < 1 || seconds <= 0 || joints < 1 || cameraSize < 2) {
      throw new InputException("bench export: --episodes, --seconds, --joints and --camera-size must be positive");
    }
    Path work = Files.createTempDirectory("optimus-bench-export");
    try {
      Path src = Files.createDirectories(work.resolve("episodes"));
      RobotDescription robot = SyntheticRecording.robot(joints, 1, cameraSize, 250, 30);
      for (int e = 0; e < episodes; e++) {
        record(src.resolve("ep-" + e + ".mcap"), robot, e);
      }
      Path out = work.resolve("lerobot");
      long t0 = System.nanoTime();
      LeRobotExporter.Report r = LeRobotExporter.export(src, out,
          LeRobotExporter.Options.defaults().withFps(fps).withCrf(crf));
      double wall = (System.nanoTime() - t0) / 1e9;
      double minutes = r.recordedSeconds() / 60;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("episodes", r.episodes());
      m.put("recorded_s", Math.round(r.recordedSeconds() * 10) / 10.0);
      m.put("joints", joints);
      m.put("camera", cameraSize + "x" + cameraSize + " @ 30 Hz");
      m.put("fps", fps);
      m.put("frames", r.frames());
      m.put("export_s", Math.round(wall * 100) / 100.0);
      m.put("frames_per_s", Math.round(r.frames() / wall));
      m.put("export_bytes_per_min", Math.round(r.bytes() / minutes));
      m.put("mcap_bytes_per_min", Math.round(r.sourceBytes() / minutes));
      m.put("cores", Runtime.getRuntime().availableProcessors());
      spec.commandLine().getOut().println(Json.write(m));
      return 0;
    } finally {
      try (Stream<Path> s = Files.walk(work)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void record(Path file, RobotDescription robot, int e) throws IOException, InterruptedException {
    long wall0 = 1_700_000_000_000_000_000L + e * 100_000_000_000L;
    try (EpisodeWriter w = EpisodeWriter.start(file, SyntheticRecording.header("bench-" + e, robot))) {
      long states = Math.round(seconds * 250);
      long frame = 0;
      for (long i = 0; i < states; i++) {
        long tick = i;
        long t = i * 4_000_000L;
        offer(() -> w.writeState(SyntheticRecording.state(joints, tick, SyntheticRecording.stamp(t, wall0 + t))));
        long frameT = frame * 1_000_000_000L / 30;
        if (frameT <= t) {
          long f = frame++;
          offer(() -> w.writeCamera(SyntheticRecording.camera("head", cameraSize, f,
              SyntheticRecording.stamp(frameT, wall0 + frameT))));
        }
      }
      w.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "");
    }
  }

  /** Synthetic data arrives faster than real time: wait for queue room instead of dropping. */
  private static void offer(java.util.function.BooleanSupplier write) throws InterruptedException {
    while (!write.getAsBoolean()) {
      Thread.sleep(1);
    }
  }
}
