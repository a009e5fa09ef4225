package io.optimus.motion.dataset.lerobot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.motion.dataset.lerobot.Recordings.Cam;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip: real episodes (EpisodeWriter, 250 Hz state, two cameras at 30 Hz) exported at 50 fps,
 * read back with hyparquet and Debian's ffmpeg, compared with the MCAP source frame by frame.
 */
class LeRobotExportTest {
  static final int FPS = 50;
  static final int JOINTS = 7;
  static final Cam HEAD = new Cam("head", 96, 72);          // SVT-AV1
  static final Cam WRIST = new Cam("left_wrist", 48, 40);   // below SVT's 64 px: libaom
  static final double MIN_PSNR_DB = 33; // measured worst 35.5 dB at crf 8

  @TempDir static Path tmp;
  static Path src;
  static Path out;
  static LeRobotExporter.Report report;

  @BeforeAll
  static void export() throws Exception {
    src = Files.createDirectories(tmp.resolve("episodes"));
    RobotDescription robot = Recordings.robot("optimus", JOINTS);
    long wall0 = 1_750_000_000_000_000_000L;
    Recordings.record(src.resolve("a.mcap"), robot, "pick the red cube", 1.0, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS,
        wall0, HEAD, WRIST);
    Recordings.record(src.resolve("b.mcap"), robot, "pick the red cube", 0.5, EpisodeOutcome.EPISODE_OUTCOME_FAILURE,
        wall0 + 10_000_000_000L, HEAD, WRIST);
    Recordings.record(src.resolve("c.mcap"), robot, "place it on the green square", 0.7,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, wall0 + 20_000_000_000L, HEAD, WRIST);
    out = tmp.resolve("lerobot");
    report = LeRobotExporter.export(src, out, LeRobotExporter.Options.defaults().withFps(FPS).withCrf(8));
  }

  @Test
  void writesTheV30LayoutAndLeavesFailedEpisodesOut() throws Exception {
    assertEquals(2, report.episodes());
    assertEquals(List.of("b.mcap: outcome FAILURE"), report.skipped());
    JsonNode info = Json.MAPPER.readTree(out.resolve("meta/info.json").toFile());
    assertEquals("v3.0", info.path("codebase_version").asText());
    assertTrue(info.path("fps").isInt());
    assertEquals(FPS, info.path("fps").asInt());
    assertEquals("optimus", info.path("robot_type").asText());
    assertEquals(2, info.path("total_episodes").asInt());
    assertEquals(report.frames(), info.path("total_frames").asLong());
    assertEquals(2, info.path("total_tasks").asInt());
    assertEquals(1000, info.path("chunks_size").asInt());
    assertEquals(100, info.path("data_files_size_in_mb").asInt());
    assertEquals(200, info.path("video_files_size_in_mb").asInt());
    assertEquals("0:2", info.path("splits").path("train").asText());
    assertEquals("data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet", info.path("data_path").asText());
    assertEquals("videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4", info.path("video_path").asText());
    JsonNode f = info.path("features");
    assertEquals(List.of("observation.state", "action", "observation.images.head", "observation.images.left_wrist",
        "timestamp", "frame_index", "episode_index", "index", "task_index"), names(f));
    assertEquals("float32", f.path("observation.state").path("dtype").asText());
    assertEquals(JOINTS, f.path("observation.state").path("shape").path(0).asInt());
    assertEquals("joint_0", f.path("action").path("names").path(0).asText());
    JsonNode head = f.path("observation.images.head");
    assertEquals("video", head.path("dtype").asText());
    assertEquals("[72,96,3]", head.path("shape").toString());
    assertEquals("[\"height\",\"width\",\"channels\"]", head.path("names").toString());
    assertEquals("float32", f.path("timestamp").path("dtype").asText());
    for (String k : List.of("frame_index", "episode_index", "index", "task_index")) {
      assertEquals("int64", f.path(k).path("dtype").asText(), k);
      assertEquals("[1]", f.path(k).path("shape").toString(), k);
    }
    for (String p : List.of("meta/stats.json", "meta/tasks.parquet", "meta/episodes/chunk-000/file-000.parquet",
        "data/chunk-000/file-000.parquet", "videos/observation.images.head/chunk-000/file-000.mp4",
        "videos/observation.images.left_wrist/chunk-000/file-000.mp4")) {
      assertTrue(Files.isRegularFile(out.resolve(p)), p);
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("episodes", "lerobot"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no partial directory left beside OUT");
    }
  }

  @Test
  void tablesReadBackWithAnIndependentReaderMatchTheRecording() throws Exception {
    assumeTrue(ExternalReaders.unavailable().isEmpty(), () -> "skipped: " + ExternalReaders.unavailable().get());
    JsonNode tasks = ExternalReaders.parquet(out.resolve("meta/tasks.parquet"));
    assertEquals("[{\"task_index\":0,\"task\":\"pick the red cube\"},{\"task_index\":1,\"task\":\"place it on the green square\"}]",
        tasks.path("rows").toString());
    assertEquals("[\"task\"]", Json.MAPPER.readTree(tasks.path("metadata").path("pandas").asText())
        .path("index_columns").toString(), "pandas makes 'task' the index LeRobot reads task strings from");

    JsonNode data = ExternalReaders.parquet(out.resolve("data/chunk-000/file-000.parquet")).path("rows");
    JsonNode episodes = ExternalReaders.parquet(out.resolve("meta/episodes/chunk-000/file-000.parquet")).path("rows");
    assertEquals(2, episodes.size());
    assertEquals(report.frames(), data.size());
    String[] files = {"a.mcap", "c.mcap"};
    long index = 0;
    for (int e = 0; e < 2; e++) {
      JsonNode ep = episodes.path(e);
      Expected x = Expected.of(src.resolve(files[e]), FPS);
      assertEquals(e, ep.path("episode_index").asInt());
      assertEquals(x.frames(), ep.path("length").asInt(), files[e]);
      assertEquals(index, ep.path("dataset_from_index").asLong());
      assertEquals(index + x.frames(), ep.path("dataset_to_index").asLong());
      assertEquals(e == 0 ? "[\"pick the red cube\"]" : "[\"place it on the green square\"]", ep.path("tasks").toString());
      assertEquals(0, ep.path("data/chunk_index").asInt());
      assertEquals(0, ep.path("data/file_index").asInt());
      for (int k = 0; k < x.frames(); k++) {
        JsonNode row = data.path((int) (index + k));
        assertEquals(k, row.path("frame_index").asInt());
        assertEquals(e, row.path("episode_index").asInt());
        assertEquals(index + k, row.path("index").asLong());
        assertEquals(e, row.path("task_index").asInt());
        assertEquals((float) ((double) k / FPS), (float) row.path("timestamp").asDouble(), "timestamp = frame_index / fps");
        assertArrayEquals(x.state(k), floats(row.path("observation.state")), files[e] + " state at frame " + k);
        assertArrayEquals(x.action(k), floats(row.path("action")), files[e] + " action at frame " + k);
      }
      JsonNode meanState = ep.path("stats/observation.state/mean");
      assertEquals(JOINTS, meanState.size());
      assertEquals("[" + x.frames() + "]", ep.path("stats/observation.state/count").toString());
      assertEquals(3, ep.path("stats/observation.images.head/q50").size());
      assertTrue(ep.path("stats/observation.images.head/q50").path(2).path(0).path(0).isNumber(), "(3,1,1) image stats");
      index += x.frames();
    }
    // stats.json: mean and std of the state over every exported frame, as LeRobot normalizes with
    JsonNode stats = Json.MAPPER.readTree(out.resolve("meta/stats.json").toFile());
    for (String key : List.of("observation.state", "action", "observation.images.head", "timestamp", "index")) {
      for (String s : List.of("min", "max", "mean", "std", "count", "q01", "q10", "q50", "q90", "q99")) {
        assertTrue(stats.path(key).has(s), key + "/" + s);
      }
    }
    for (int j = 0; j < JOINTS; j++) {
      double sum = 0;
      double sq = 0;
      for (JsonNode row : data) {
        double v = row.path("observation.state").path(j).asDouble();
        sum += v;
        sq += v * v;
      }
      double mean = sum / data.size();
      assertEquals(mean, stats.path("observation.state").path("mean").path(j).asDouble(), 1e-6);
      assertEquals(Math.sqrt(sq / data.size() - mean * mean), stats.path("observation.state").path("std").path(j).asDouble(), 1e-5);
    }
    assertEquals(data.size(), stats.path("action").path("count").path(0).asLong());
  }

  @Test
  void videoFramesDecodeAtTheirTimestampsAndMatchTheCameras() throws Exception {
    assumeTrue(ExternalReaders.unavailable().isEmpty(), () -> "skipped: " + ExternalReaders.unavailable().get());
    JsonNode episodes = ExternalReaders.parquet(out.resolve("meta/episodes/chunk-000/file-000.parquet")).path("rows");
    JsonNode data = ExternalReaders.parquet(out.resolve("data/chunk-000/file-000.parquet")).path("rows");
    String[] files = {"a.mcap", "c.mcap"};
    double worst = Double.POSITIVE_INFINITY;
    for (Cam cam : List.of(HEAD, WRIST)) {
      String key = "observation.images." + cam.name();
      Path mp4 = out.resolve("videos/" + key + "/chunk-000/file-000.mp4");
      JsonNode stream = ExternalReaders.stream(mp4);
      assertEquals("av1", stream.path("codec_name").asText());
      assertEquals(cam.width(), stream.path("width").asInt());
      assertEquals(cam.height(), stream.path("height").asInt());
      String[] tb = stream.path("time_base").asText().split("/");
      assertEquals(0, Long.parseLong(tb[1]) % FPS, "time base " + stream.path("time_base").asText() + " holds 1/" + FPS);
      List<Double> times = ExternalReaders.frameTimes(mp4);
      byte[] pixels = ExternalReaders.rgbFrames(mp4);
      int frameBytes = cam.width() * cam.height() * 3;
      assertEquals(report.frames(), times.size());
      assertEquals(report.frames() * frameBytes, pixels.length);
      int row = 0;
      for (int e = 0; e < 2; e++) {
        Expected x = Expected.of(src.resolve(files[e]), FPS);
        double from = episodes.path(e).path("videos/" + key + "/from_timestamp").asDouble();
        assertEquals(episodes.path(e).path("dataset_from_index").asLong() / (double) FPS, from, 1e-9);
        assertEquals(from + (double) x.frames() / FPS, episodes.path(e).path("videos/" + key + "/to_timestamp").asDouble(), 1e-9);
        for (int k = 0; k < x.frames(); k++, row++) {
          double query = from + (float) data.path(row).path("timestamp").asDouble(); // LeRobot's lookup
          int nearest = nearest(times, query);
          assertTrue(Math.abs(times.get(nearest) - query) < 1e-4,
              key + " episode " + e + " frame " + k + ": nearest frame at " + times.get(nearest) + " for " + query);
          assertEquals(row, nearest, "the frame at from_timestamp + timestamp is this tick's");
          double psnr = psnr(x.image(cam.name(), k), pixels, nearest * frameBytes);
          worst = Math.min(worst, psnr);
          assertTrue(psnr >= MIN_PSNR_DB, key + " episode " + e + " frame " + k + ": PSNR " + psnr + " dB");
        }
      }
    }
    System.out.printf("LeRobot export round trip: worst frame PSNR %.1f dB (AV1 crf 8, yuv420p)%n", worst);
  }

  private static int nearest(List<Double> times, double t) {
    int best = 0;
    for (int i = 1; i < times.size(); i++) {
      if (Math.abs(times.get(i) - t) < Math.abs(times.get(best) - t)) {
        best = i;
      }
    }
    return best;
  }

  private static double psnr(byte[] expected, byte[] actual, int offset) {
    double se = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (expected[i] & 0xff) - (actual[offset + i] & 0xff);
      se += d * d;
    }
    double mse = se / expected.length;
    return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static List<String> names(JsonNode obj) {
    List<String> n = new ArrayList<>();
    obj.fieldNames().forEachRemaining(n::add);
    return n;
  }

  private static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.path(i).asDouble();
    }
    return f;
  }

  /**
   * What the export should hold, worked out here from the MCAP alone: frame k is at t0 + k/fps with t0
   * the first instant that has a state and a frame of each camera; it holds the latest state and frame
   * stamped at or before it.
   */
  record Expected(int frames, List<JointState> states, List<Long> stateTimes, List<String> cams,
      List<List<CameraFrame>> images, List<List<Long>> imageTimes, long t0, int fps) {
    static Expected of(Path file, int fps) throws Exception {
      try (EpisodeReader r = EpisodeReader.open(file)) {
        List<JointState> states = new ArrayList<>();
        List<Long> stateTimes = new ArrayList<>();
        for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE)); it.hasNext(); ) {
          EpisodeFrame f = it.next();
          states.add(f.as(JointState.class));
          stateTimes.add(f.publishTimeNs());
        }
        List<String> cams = r.cameras();
        List<List<CameraFrame>> images = new ArrayList<>();
        List<List<Long>> imageTimes = new ArrayList<>();
        long t0 = stateTimes.get(0);
        for (String c : cams) {
          List<CameraFrame> fs = new ArrayList<>();
          List<Long> ts = new ArrayList<>();
          for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(c))); it.hasNext(); ) {
            EpisodeFrame f = it.next();
            fs.add(f.as(CameraFrame.class));
            ts.add(f.publishTimeNs());
          }
          images.add(fs);
          imageTimes.add(ts);
          t0 = Math.max(t0, ts.get(0));
        }
        long span = stateTimes.get(stateTimes.size() - 1) - t0;
        int frames = (int) (span * fps / 1_000_000_000L) + 1;
        return new Expected(frames, states, stateTimes, cams, images, imageTimes, t0, fps);
      }
    }

    long tick(int k) {
      return t0 + k * (1_000_000_000L / fps); // fps divides 1e9 in these tests
    }

    static int latest(List<Long> times, long t) {
      int i = times.size() - 1;
      while (times.get(i) > t) {
        i--;
      }
      return i;
    }

    float[] state(int k) {
      JointState s = states.get(latest(stateTimes, tick(k)));
      float[] f = new float[s.getPositionCount()];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) s.getPosition(j);
      }
      return f;
    }

    float[] action(int k) {
      JointState s = states.get(latest(stateTimes, tick(k)));
      float[] f = new float[s.getCommandedPositionCount()];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) s.getCommandedPosition(j);
      }
      return f;
    }

    byte[] image(String camera, int k) {
      int c = cams.indexOf(camera);
      return images.get(c).get(latest(imageTimes.get(c), tick(k))).getData().toByteArray();
    }
  }
}
