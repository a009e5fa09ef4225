package io.optimus.motion.dataset.lerobot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a dataset directory of recorded episodes as a LeRobot v3.0 dataset (what LeRobot 0.6 loads
 * with {@code LeRobotDataset(repo_id, root=OUT)}): meta/info.json, meta/stats.json,
 * meta/tasks.parquet, meta/episodes/chunk-000/file-000.parquet, data/chunk-*&#47;file-*.parquet (one
 * row per frame, episodes back to back) and one AV1 MP4 stream per camera holding several episodes.
 * Episodes are resampled onto the export rate by {@link EpisodeSampler} (sample-and-hold).
 * Everything is written into a hidden directory beside OUT and renamed to OUT at the end, so a
 * failed export never leaves a directory that looks like a dataset.
 */
public final class LeRobotExporter {
  private static final Logger LOG = LoggerFactory.getLogger(LeRobotExporter.class);
  /** Largest image side exported (8K); a frame header claiming more is bad input, not an allocation. */
  static final int MAX_SIDE = 8192;

  /**
   * @param fps export rate (LeRobot wants an integer)
   * @param cameras camera names to export, empty for every camera the episodes have
   * @param task the task string of every episode; null for each episode's recorded task
   * @param includeFailed also export episodes marked FAILURE or DISCARD
   * @param crf AV1 constant-quality factor (0 best, 63 worst; LeRobot records at 30)
   */
  public record Options(int fps, List<String> cameras, String task, boolean includeFailed, int crf,
      int dataFilesSizeInMb, int videoFilesSizeInMb) {
    public Options {
      cameras = List.copyOf(cameras);
      if (fps < 1 || fps > 1000) {
        throw new InputException("--fps " + fps + ": must be an integer from 1 to 1000");
      }
      if (crf < 0 || crf > 63) {
        throw new InputException("--crf " + crf + ": must be from 0 (best) to 63");
      }
      if (task != null && task.isBlank()) {
        throw new InputException("--task: must not be blank");
      }
      if (dataFilesSizeInMb < 1 || videoFilesSizeInMb < 1) {
        throw new IllegalArgumentException("file size limits must be at least 1 MB");
      }
    }

    public static Options defaults() {
      return new Options(50, List.of(), null, false, 30, LeRobotLayout.DATA_FILES_SIZE_IN_MB,
          LeRobotLayout.VIDEO_FILES_SIZE_IN_MB);
    }

    public Options withFps(int f) {
      return new Options(f, cameras, task, includeFailed, crf, dataFilesSizeInMb, videoFilesSizeInMb);
    }

    public Options withCameras(List<String> c) {
      return new Options(fps, c, task, includeFailed, crf, dataFilesSizeInMb, videoFilesSizeInMb);
    }

    public Options withTask(String t) {
      return new Options(fps, cameras, t, includeFailed, crf, dataFilesSizeInMb, videoFilesSizeInMb);
    }

    public Options withIncludeFailed(boolean b) {
      return new Options(fps, cameras, task, b, crf, dataFilesSizeInMb, videoFilesSizeInMb);
    }

    public Options withCrf(int c) {
      return new Options(fps, cameras, task, includeFailed, c, dataFilesSizeInMb, videoFilesSizeInMb);
    }
  }

  /**
   * What an export wrote; {@code skipped} names each episode left out and why; {@code recordedSeconds}
   * is the exported span of recording (frames / fps).
   */
  public record Report(Path out, int episodes, long frames, int tasks, List<String> cameras, List<String> skipped,
      double recordedSeconds, long sourceBytes, long bytes) {}

  private record Camera(String name, int width, int height) {
    String key() {
      return LeRobotLayout.videoKey(name);
    }
  }

  private record VideoSpan(int chunk, int file, double from, double to) {}

  private record EpisodeRow(int index, String task, int length, int dataChunk, int dataFile, long from, long to,
      List<VideoSpan> videos, Map<String, FeatureStats> stats) {}

  private LeRobotExporter() {}

  public static Report export(Path datasetDir, Path out, Options o) throws IOException {
    Dataset dataset = Dataset.open(datasetDir);
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(out + ": already exists (the export writes a new directory)");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InputException(out + ": cannot be created: " + parent
          + (parent != null && Files.exists(parent) ? " is not a directory" : " does not exist"));
    }
    List<String> skipped = new ArrayList<>();
    List<EpisodeEntry> usable = usable(dataset, o, skipped);
    if (usable.isEmpty()) {
      throw new InputException("dataset " + datasetDir + ": no episodes to export (" + dataset.episodes().size()
          + " files" + (skipped.isEmpty() ? "" : "; left out: " + String.join("; ", skipped)) + ")");
    }
    checkOneRobot(datasetDir, usable);
    List<String> cameraNames = cameraNames(datasetDir, usable, o.cameras());
    List<Camera> cameras = cameraSizes(datasetDir, usable, cameraNames);
    List<String> tasks = new ArrayList<>();
    for (EpisodeEntry e : usable) {
      String t = o.task() != null ? o.task() : e.task();
      if (t == null || t.isBlank()) {
        throw new InputException(datasetDir.resolve(e.file()) + ": the episode records no task; name it with --task");
      }
      if (!tasks.contains(t)) {
        tasks.add(t);
      }
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    } catch (FileSystemException e) {
      throw new InputException(out + ": cannot write in " + parent + " (" + reason(e) + ")", e);
    }
    try {
      long sourceBytes = usable.stream().mapToLong(EpisodeEntry::bytes).sum();
      long frames = new Writer(datasetDir, tmp, o, usable, cameras, tasks).write();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return new Report(out, usable.size(), frames, tasks.size(), cameraNames, skipped, (double) frames / o.fps(),
          sourceBytes, sizeOf(target));
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(tmp);
      if (e instanceof FileSystemException fse && !(e instanceof java.nio.file.NoSuchFileException)) {
        throw new InputException(out + ": cannot write (" + reason(fse) + ")", e);
      }
      throw e;
    }
  }

  private static List<EpisodeEntry> usable(Dataset dataset, Options o, List<String> skipped) {
    List<EpisodeEntry> out = new ArrayList<>();
    for (EpisodeEntry e : dataset.episodes()) {
      if (e.error() != null) {
        skipped.add(e.file() + ": unreadable (" + e.error() + ")");
      } else if (!o.includeFailed() && (e.outcome().equals("FAILURE") || e.outcome().equals("DISCARD"))) {
        skipped.add(e.file() + ": outcome " + e.outcome());
      } else {
        out.add(e);
      }
    }
    skipped.forEach(s -> LOG.debug("left out {}", s));
    return out;
  }

  private static void checkOneRobot(Path dir, List<EpisodeEntry> usable) {
    Map<String, Integer> models = new LinkedHashMap<>();
    for (EpisodeEntry e : usable) {
      models.merge(e.robotModel() + " (" + e.jointNames().size() + " joints)", 1, Integer::sum);
    }
    EpisodeEntry first = usable.get(0);
    boolean sameJoints = usable.stream().allMatch(e -> e.jointNames().equals(first.jointNames()));
    if (models.size() > 1 || !sameJoints) {
      StringBuilder b = new StringBuilder();
      models.forEach((m, n) -> b.append(b.length() == 0 ? "" : ", ").append(m).append(" in ").append(n)
          .append(n == 1 ? " episode" : " episodes"));
      throw new InputException("dataset " + dir + ": mixed robot models (" + b
          + (models.size() == 1 ? ", with joints in another order" : "")
          + "); a LeRobot dataset has one state layout: export one model at a time");
    }
  }

  private static List<String> cameraNames(Path dir, List<EpisodeEntry> usable, List<String> requested) {
    Set<String> all = new TreeSet<>();
    usable.forEach(e -> all.addAll(e.cameras()));
    List<String> names = requested.isEmpty() ? List.copyOf(all) : List.copyOf(new LinkedHashSet<>(requested));
    for (String c : names) {
      for (EpisodeEntry e : usable) {
        if (!e.cameras().contains(c)) {
          throw new InputException(dir.resolve(e.file()) + ": has no camera '" + c + "' (it has " + e.cameras()
              + "); choose cameras every episode has with --cameras");
        }
      }
    }
    return names;
  }

  private static List<Camera> cameraSizes(Path dir, List<EpisodeEntry> usable, List<String> names) throws IOException {
    List<Camera> out = new ArrayList<>();
    for (String c : names) {
      Camera first = null;
      String firstFile = null;
      for (EpisodeEntry e : usable) {
        try (EpisodeReader r = EpisodeReader.open(dir.resolve(e.file()))) {
          Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(c)));
          if (!it.hasNext()) {
            throw new InputException(dir.resolve(e.file()) + ": camera '" + c + "' has no frames");
          }
          CameraFrame f = it.next().as(CameraFrame.class);
          Camera cam = new Camera(c, f.getWidth(), f.getHeight());
          if (cam.width() < 2 || cam.height() < 2 || cam.width() > MAX_SIDE || cam.height() > MAX_SIDE) {
            throw new InputException(dir.resolve(e.file()) + ": camera '" + c + "' frames are " + cam.width() + "x"
                + cam.height() + "; the export takes 2 to " + MAX_SIDE + " px a side");
          }
          if (first == null) {
            first = cam;
            firstFile = e.file();
          } else if (!first.equals(cam)) {
            throw new InputException("dataset " + dir + ": camera '" + c + "' is " + first.width() + "x" + first.height()
                + " in " + firstFile + " but " + cam.width() + "x" + cam.height() + " in " + e.file()
                + "; a LeRobot video feature has one size");
          }
        }
      }
      out.add(first);
    }
    return out;
  }

  /** Writes the files of one export into {@code root}; returns the frame count. */
  private static final class Writer {
    private final Path source;
    private final Path root;
    private final Options o;
    private final List<EpisodeEntry> episodes;
    private final List<Camera> cameras;
    private final List<String> tasks;
    private final DataFile data;
    private final VideoFileWriter[] videos;
    private final int[][] videoAt;
    private List<String> jointNames;
    private String robotType;
    private long index;

    Writer(Path source, Path root, Options o, List<EpisodeEntry> episodes, List<Camera> cameras, List<String> tasks) {
      this.source = source;
      this.root = root;
      this.o = o;
      this.episodes = episodes;
      this.cameras = cameras;
      this.tasks = tasks;
      this.data = new DataFile(root, o.dataFilesSizeInMb());
      this.videos = new VideoFileWriter[cameras.size()];
      this.videoAt = new int[cameras.size()][2];
    }

    long write() throws IOException {
      List<EpisodeRow> rows = new ArrayList<>();
      try {
        for (int e = 0; e < episodes.size(); e++) {
          rows.add(episode(e));
        }
      } finally {
        data.close();
        closeVideos();
      }
      MetaFiles.writeTasks(root, tasks);
      MetaFiles.writeEpisodes(root, rows.stream().map(r -> new MetaFiles.EpisodeMeta(r.index(), r.task(), r.length(),
          r.dataChunk(), r.dataFile(), r.from(), r.to(), r.videos().stream()
              .map(v -> new MetaFiles.VideoMeta(v.chunk(), v.file(), v.from(), v.to())).toList(), r.stats())).toList(),
          cameras.stream().map(Camera::key).toList());
      Map<String, FeatureStats> total = new LinkedHashMap<>();
      for (String key : rows.get(0).stats().keySet()) {
        total.put(key, FeatureStats.aggregate(rows.stream().map(r -> r.stats().get(key)).toList()));
      }
      Files.writeString(root.resolve(LeRobotLayout.STATS), Json.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValueAsString(statsJson(total)));
      Files.writeString(root.resolve(LeRobotLayout.INFO), Json.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValueAsString(info(rows.size())));
      return index;
    }

    private EpisodeRow episode(int e) throws IOException {
      EpisodeEntry entry = episodes.get(e);
      Path file = source.resolve(entry.file());
      String task = o.task() != null ? o.task() : entry.task();
      int taskIndex = tasks.indexOf(task);
      long[][][] histograms = new long[cameras.size()][3][256];
      long[] frameBase = new long[cameras.size()];
      for (int c = 0; c < cameras.size(); c++) {
        rollVideo(c);
        frameBase[c] = videos[c].frames();
      }
      EpisodeSampler.Sampled s;
      try (EpisodeReader r = EpisodeReader.open(file)) {
        if (jointNames == null) {
          jointNames = r.jointNames();
          robotType = r.header().getRobot().getModelName();
        }
        s = EpisodeSampler.sample(r, cameras.stream().map(Camera::name).toList(), o.fps(), (k, images) -> {
          for (int c = 0; c < cameras.size(); c++) {
            Camera cam = cameras.get(c);
            if (images[c].length != cam.width() * cam.height() * 3) {
              throw new InputException(file + ": camera '" + cam.name() + "' changes size within the episode (from "
                  + cam.width() + "x" + cam.height() + ")");
            }
            videos[c].write(images[c]);
            count(images[c], histograms[c]);
          }
        });
      } catch (UncheckedIOException ex) {
        throw ex.getCause();
      }
      int n = s.frames();
      data.roll();
      int[] at = data.position();
      long from = index;
      double[] ts = new double[n];
      double[] fi = new double[n];
      double[] ei = new double[n];
      double[] gi = new double[n];
      double[] ti = new double[n];
      for (int k = 0; k < n; k++) {
        float t = (float) ((double) k / o.fps());
        data.append(s.state(), s.action(), k * s.joints(), s.joints(), t, k, e, index + k, taskIndex);
        ts[k] = t;
        fi[k] = k;
        ei[k] = e;
        gi[k] = index + k;
        ti[k] = taskIndex;
      }
      index += n;
      Map<String, FeatureStats> stats = new LinkedHashMap<>();
      stats.put(LeRobotLayout.STATE, FeatureStats.of(s.state(), n, s.joints()));
      stats.put(LeRobotLayout.ACTION, FeatureStats.of(s.action(), n, s.joints()));
      List<VideoSpan> spans = new ArrayList<>();
      for (int c = 0; c < cameras.size(); c++) {
        stats.put(cameras.get(c).key(), FeatureStats.ofHistograms(histograms[c], n));
        spans.add(new VideoSpan(videoAt[c][0], videoAt[c][1], (double) frameBase[c] / o.fps(),
            (double) (frameBase[c] + n) / o.fps()));
      }
      stats.put("timestamp", FeatureStats.of(ts, n, 1));
      stats.put("frame_index", FeatureStats.of(fi, n, 1));
      stats.put("episode_index", FeatureStats.of(ei, n, 1));
      stats.put("index", FeatureStats.of(gi, n, 1));
      stats.put("task_index", FeatureStats.of(ti, n, 1));
      LOG.debug("exported {}: {} frames", file, n);
      return new EpisodeRow(e, task, n, at[0], at[1], from, index, spans, stats);
    }

    /**
     * Starts camera c's first file, or its next one once the current is over the size limit. The size
     * is what has reached the disk: the encoder still holds its look-ahead, so a file can end up
     * somewhat over the limit (LeRobot's own writer estimates too).
     */
    private void rollVideo(int c) throws IOException {
      if (videos[c] != null && Files.size(videos[c].file()) < (long) o.videoFilesSizeInMb() << 20) {
        return;
      }
      if (videos[c] != null) {
        videos[c].close();
        videoAt[c] = LeRobotLayout.next(videoAt[c][0], videoAt[c][1]);
      }
      Camera cam = cameras.get(c);
      Path p = root.resolve(LeRobotLayout.videoPath(cam.key(), videoAt[c][0], videoAt[c][1]));
      Files.createDirectories(p.getParent());
      videos[c] = new VideoFileWriter(p, cam.width(), cam.height(), o.fps(), o.crf());
    }

    private void closeVideos() throws IOException {
      IOException first = null;
      for (VideoFileWriter v : videos) {
        try {
          if (v != null) {
            v.close();
          }
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }

    private static void count(byte[] rgb, long[][] h) {
      for (int i = 0; i < rgb.length; i += 3) {
        h[0][rgb[i] & 0xff]++;
        h[1][rgb[i + 1] & 0xff]++;
        h[2][rgb[i + 2] & 0xff]++;
      }
    }

    private ObjectNode info(int episodeCount) {
      ObjectNode info = Json.MAPPER.createObjectNode();
      info.put("codebase_version", LeRobotLayout.CODEBASE_VERSION);
      info.put("robot_type", robotType);
      info.put("total_episodes", episodeCount);
      info.put("total_frames", index);
      info.put("total_tasks", tasks.size());
      info.put("chunks_size", LeRobotLayout.CHUNKS_SIZE);
      info.put("data_files_size_in_mb", o.dataFilesSizeInMb());
      info.put("video_files_size_in_mb", o.videoFilesSizeInMb());
      info.put("fps", o.fps());
      info.putObject("splits").put("train", "0:" + episodeCount);
      info.put("data_path", LeRobotLayout.DATA_PATH);
      info.put("video_path", cameras.isEmpty() ? null : LeRobotLayout.VIDEO_PATH);
      ObjectNode f = info.putObject("features");
      for (String key : List.of(LeRobotLayout.STATE, LeRobotLayout.ACTION)) {
        ObjectNode v = f.putObject(key);
        v.put("dtype", "float32");
        v.putArray("shape").add(jointNames.size());
        ArrayNode names = v.putArray("names");
        jointNames.forEach(names::add);
      }
      for (Camera c : cameras) {
        ObjectNode v = f.putObject(c.key());
        v.put("dtype", "video");
        v.putArray("shape").add(c.height()).add(c.width()).add(3);
        v.putArray("names").add("height").add("width").add("channels");
        ObjectNode vi = v.putObject("info");
        vi.put("video.height", c.height());
        vi.put("video.width", c.width());
        vi.put("video.codec", "av1");
        vi.put("video.pix_fmt", "yuv420p");
        vi.put("video.is_depth_map", false);
        vi.put("video.fps", o.fps());
        vi.put("video.channels", 3);
        vi.put("has_audio", false);
      }
      for (String key : LeRobotLayout.DEFAULT_FEATURES) {
        ObjectNode v = f.putObject(key);
        v.put("dtype", key.equals("timestamp") ? "float32" : "int64");
        v.putArray("shape").add(1);
        v.putNull("names");
      }
      return info;
    }

    private ObjectNode statsJson(Map<String, FeatureStats> total) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      for (Map.Entry<String, FeatureStats> e : total.entrySet()) {
        ObjectNode s = root.putObject(e.getKey());
        boolean video = e.getKey().startsWith(LeRobotLayout.IMAGES_PREFIX);
        for (Map.Entry<String, double[]> v : e.getValue().vectors().entrySet()) {
          ArrayNode a = s.putArray(v.getKey());
          for (double x : v.getValue()) {
            if (video) {
              a.addArray().addArray().add(x); // (channels, 1, 1)
            } else {
              a.add(x);
            }
          }
        }
        s.putArray("count").add(e.getValue().count());
      }
      return root;
    }
  }

  private static String reason(FileSystemException e) {
    String r = e.getReason();
    return r != null ? r : e.getClass().getSimpleName().replace("Exception", "");
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the unfinished export {}: {}", dir, e.toString());
    }
  }
}
