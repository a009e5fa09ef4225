package io.optimus.motion.record.cli;

import io.optimus.bridge.foxglove.FoxgloveSceneViews;
import io.optimus.common.FramePacer;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeViews;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.motion.record.FoxgloveImages;
import io.optimus.motion.record.SyntheticRecording;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.Timestamp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optimus bench recording}: a paced control loop (default 52 joints at 500 Hz) plus cameras
 * (default two 96x96 RGB at 30 Hz) recorded for a fixed time. Prints dropped frames, the writer
 * thread's CPU time over wall time, the control loop's cost per write call, and bytes per minute.
 */
@Command(name = "recording", mixinStandardHelpOptions = true,
    description = {"Episode recording throughput and size: 52 joints at 500 Hz plus two 96x96 cameras at 30 Hz",
        "by default (--scene: the optimus model with the Foxglove 3D scene). Prints dropped frames, writer CPU / wall,",
        "write-call latency and bytes per minute (JSON)."})
public final class RecordingBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seconds", defaultValue = "20", description = "Recording length (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--joints", defaultValue = "52", description = "Joints (default ${DEFAULT-VALUE}).")
  int joints;

  @Option(names = "--rate", defaultValue = "500", description = "Control rate, Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--cameras", defaultValue = "2", description = "Cameras (default ${DEFAULT-VALUE}).")
  int cameras;

  @Option(names = "--camera-size", defaultValue = "96", description = "Square image side, px (default ${DEFAULT-VALUE}).")
  int cameraSize;

  @Option(names = "--camera-rate", defaultValue = "30", description = "Camera rate, Hz (default ${DEFAULT-VALUE}).")
  double cameraRate;

  @Option(names = "--zstd-level", defaultValue = "3", description = "zstd level (default ${DEFAULT-VALUE}).")
  int zstdLevel;

  @Option(names = "--no-fsync", description = "Do not fsync after each chunk.")
  boolean noFsync;

  @Option(names = "--no-foxglove-images",
      description = "Do not also write each camera frame as a foxglove.RawImage (the /camera/NAME/image view).")
  boolean noFoxgloveImages;

  @Option(names = "--scene",
      description = {"Record the shipped optimus model (its joint count) and derive the Foxglove 3D scene on the writer",
          "thread (/tf at 50 Hz, robot and table geometry, camera calibrations), as the bridge does."})
  boolean scene;

  @Option(names = "--dir", description = "Where to write the episode (default: a temporary directory, deleted after).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || joints < 1 || rate <= 0 || cameras < 0 || cameraSize < 1 || cameraRate <= 0) {
      throw new InputException("bench recording: --seconds, --joints, --rate, --camera-size and --camera-rate must be positive");
    }
    boolean temporary = dir == null;
    Path where = temporary ? Files.createTempDirectory("optimus-bench-recording") : Files.createDirectories(dir);
    Path file = where.resolve("bench-" + System.currentTimeMillis() + ".mcap");
    RobotDescription robot = SyntheticRecording.robot(joints, cameras, cameraSize, rate, cameraRate);
    EpisodeViews.Factory views = null;
    if (scene) {
      RobotRig rig = new RobotRig(Robots.load("optimus"));
      if (cameras > rig.cameras().size()) {
        throw new InputException("bench recording --scene: --cameras " + cameras + " is more than the model's "
            + rig.cameras().size());
      }
      RobotDescription described = rig.describe("sim-1", rate, cameraRate);
      robot = described.toBuilder().clearCameras().addAllCameras(described.getCamerasList().subList(0, cameras)).build();
      joints = rig.dof();
      views = FoxgloveSceneViews.factory(() -> new FoxgloveSceneViews.Table(0.2, 0.75, -0.5, 0.5, 0.9));
    }
    EpisodeHeader header = SyntheticRecording.header("bench", robot);
    EpisodeWriter.Options options = EpisodeWriter.Options.defaults().withZstdLevel(zstdLevel).withFsync(!noFsync)
        .withFoxgloveImages(!noFoxgloveImages);
    // Camera frames are prepared ahead, like a camera driver's buffers; the loop only restamps them.
    String[] names = robot.getCamerasList().stream().map(c -> c.getName()).toArray(String[]::new);
    CameraFrame[][] frames = new CameraFrame[cameras][8];
    for (int c = 0; c < cameras; c++) {
      for (int k = 0; k < frames[c].length; k++) {
        frames[c][k] = SyntheticRecording.camera(names[c], cameraSize, k, Timestamp.getDefaultInstance());
      }
    }
    System.err.printf("bench recording: %d joints at %.0f Hz, %d cameras %dx%d at %.0f Hz, %.0f s -> %s%n",
        joints, rate, cameras, cameraSize, cameraSize, cameraRate, seconds, file);

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long ticks = Math.round(seconds * rate);
    long period = Math.round(1e9 / rate);
    long cameraPeriod = Math.round(1e9 / cameraRate);
    long[] callNs = new long[(int) ticks];
    long loopCpu0 = mx.getCurrentThreadCpuTime();
    EpisodeWriter w = EpisodeWriter.start(file, header, options, null, views);
    if (w.state() == EpisodeWriter.State.FAILED) {
      throw new InputException(w.error());
    }
    FramePacer pacer = FramePacer.ofPeriod(period);
    long start = System.nanoTime();
    long nextCamera = start;
    long cameraFrames = 0;
    CameraFrame[] shot = new CameraFrame[cameras];
    long rejected = 0;
    for (long i = 0; i < ticks; i++) {
      pacer.awaitWhile(() -> true, () -> false);
      long now = System.nanoTime();
      Instant wall = Instant.now();
      Timestamp ts = SyntheticRecording.stamp(now, wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
      var state = SyntheticRecording.state(joints, i, ts);
      boolean cameraTick = now >= nextCamera;
      if (cameraTick) {
        for (int c = 0; c < cameras; c++) {
          shot[c] = frames[c][(int) (cameraFrames % frames[c].length)].toBuilder().setSequence(cameraFrames)
              .setStamp(ts).build();
        }
        cameraFrames++;
        nextCamera += cameraPeriod;
      }
      long t0 = System.nanoTime(); // only the calls the control loop would make
      boolean ok = w.writeState(state);
      if (cameraTick) {
        for (int c = 0; c < cameras; c++) {
          ok &= w.writeCamera(shot[c]);
        }
      }
      callNs[(int) i] = System.nanoTime() - t0;
      if (!ok) {
        rejected++;
      }
      if (i > 0 && i % Math.round(rate * 5) == 0) {
        System.err.printf("  %.0f s: %d ticks, %d dropped%n", i / rate, i, w.dropped());
      }
    }
    long wallNs = System.nanoTime() - start;
    long loopCpu = mx.getCurrentThreadCpuTime() - loopCpu0;
    long finishStart = System.nanoTime();
    EpisodeSummary summary = w.finish();
    long finishNs = System.nanoTime() - finishStart;
    if (!summary.ok()) {
      throw new IllegalStateException(summary.error());
    }
    long bytes = Files.size(file);
    long states;
    long cams;
    long imageViews;
    long readNs;
    long tf;
    long streamed = 0;
    long[] seekNs = new long[200];
    try (EpisodeReader r = EpisodeReader.open(file)) {
      states = r.messageCount(EpisodeTopics.STATE);
      cams = r.cameras().stream().mapToLong(c -> r.messageCount(EpisodeTopics.camera(c))).sum();
      imageViews = r.cameras().stream().mapToLong(c -> r.messageCount(EpisodeTopics.cameraImage(c))).sum();
      tf = r.messageCount(EpisodeTopics.TF);
      long t0 = System.nanoTime();
      for (var it = r.frames(); it.hasNext(); it.next()) {
        streamed++;
      }
      readNs = System.nanoTime() - t0;
      java.util.Random rnd = new java.util.Random(1);
      long span = Math.max(1, r.endTimeNs() - r.startTimeNs());
      for (int k = 0; k < seekNs.length; k++) {
        long t = r.startTimeNs() + (long) (rnd.nextDouble() * span);
        long s0 = System.nanoTime();
        r.stateAt(t);
        seekNs[k] = System.nanoTime() - s0;
      }
    }
    Arrays.sort(seekNs);
    Arrays.sort(callNs);
    double durationS = wallNs / 1e9;
    long rawState = SyntheticRecording.state(joints, 1, SyntheticRecording.stamp(1, 1)).getSerializedSize();
    long rawCamera = cameras == 0 ? 0 : frames[0][0].getSerializedSize()
        + (noFoxgloveImages ? 0 : FoxgloveImages.view(frames[0][0], 1).getSerializedSize());
    double rawPerMinute = (states * rawState + cams * rawCamera) / durationS * 60;

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("joints", joints);
    out.put("control_rate_hz", rate);
    out.put("cameras", cameras);
    out.put("camera_size", cameraSize + "x" + cameraSize + " rgb8");
    out.put("camera_rate_hz", cameraRate);
    out.put("duration_s", round(durationS, 3));
    out.put("state_frames_offered", ticks);
    out.put("state_frames_recorded", states);
    out.put("camera_frames_offered", cameraFrames * cameras);
    out.put("camera_frames_recorded", cams);
    out.put("foxglove_images_recorded", imageViews);
    out.put("foxglove_scene", scene);
    out.put("tf_messages_recorded", tf);
    out.put("dropped_frames", summary.dropped());
    out.put("rejected_write_calls", rejected);
    out.put("late_ticks", pacer.overruns());
    out.put("writer_cpu_s", round(w.writerCpuNanos() / 1e9, 3));
    out.put("writer_cpu_fraction_of_one_core", round(w.writerCpuNanos() / (double) (wallNs + finishNs), 4));
    out.put("control_loop_cpu_fraction", round(loopCpu / (double) wallNs, 4));
    out.put("write_call_ns_p50", callNs[callNs.length / 2]);
    out.put("write_call_ns_p99", callNs[(int) Math.min(callNs.length - 1, Math.ceil(callNs.length * 0.99) - 1)]);
    out.put("write_call_ns_max", callNs[callNs.length - 1]);
    out.put("finish_ms", round(finishNs / 1e6, 1));
    out.put("file_bytes", bytes);
    out.put("bytes_per_minute", Math.round(bytes / durationS * 60));
    out.put("mib_per_minute", round(bytes / durationS * 60 / (1 << 20), 2));
    out.put("raw_payload_bytes_per_minute", Math.round(rawPerMinute));
    out.put("compression_ratio", round(rawPerMinute / (bytes / durationS * 60), 2));
    out.put("read_frames_per_s", Math.round(streamed / (readNs / 1e9)));
    out.put("random_state_at_ms_p50", round(seekNs[seekNs.length / 2] / 1e6, 3));
    out.put("random_state_at_ms_p99", round(seekNs[seekNs.length * 99 / 100] / 1e6, 3));
    out.put("foxglove_images", !noFoxgloveImages);
    out.put("zstd_level", zstdLevel);
    out.put("fsync_per_chunk", !noFsync);
    out.put("file", temporary ? "(deleted)" : file.toString());
    spec.commandLine().getOut().println(Json.write(out));
    if (temporary) {
      Files.deleteIfExists(file);
      Files.deleteIfExists(where.resolve("dataset.json"));
      Files.deleteIfExists(where);
    }
    return summary.dropped() == 0 ? 0 : 1;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
