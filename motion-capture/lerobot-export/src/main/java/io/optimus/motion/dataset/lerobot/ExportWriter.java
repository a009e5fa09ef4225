package io.optimus.motion.dataset.lerobot;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the files of one export into a (temporary) root: per episode, the sampled frames go to each
 * camera's video and the data table; at the end the tasks, episodes, stats and info files.
 */
final class ExportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ExportWriter.class);

  private final Path source;
  private final Path root;
  private final LeRobotExporter.Options o;
  private final List<EpisodeEntry> episodes;
  private final List<CameraSpec> cameras;
  private final List<String> tasks;
  private final DataFile data;
  private final VideoFileWriter[] videos;
  private final int[][] videoAt;
  private List<String> jointNames;
  private String robotType;
  private long index;

  ExportWriter(Path source, Path root, LeRobotExporter.Options o, List<EpisodeEntry> episodes, List<CameraSpec> cameras,
      List<String> tasks) {
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
    List<MetaFiles.EpisodeMeta> rows = new ArrayList<>();
    try {
      for (int e = 0; e < episodes.size(); e++) {
        rows.add(episode(e));
      }
    } finally {
      data.close();
      closeVideos();
    }
    MetaFiles.writeTasks(root, tasks);
    MetaFiles.writeEpisodes(root, rows, cameras.stream().map(CameraSpec::key).toList());
    Map<String, FeatureStats> total = new LinkedHashMap<>();
    for (String key : rows.get(0).stats().keySet()) {
      total.put(key, FeatureStats.aggregate(rows.stream().map(r -> r.stats().get(key)).toList()));
    }
    Files.writeString(root.resolve(LeRobotLayout.STATS), Json.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsString(MetaJson.stats(total)));
    Files.writeString(root.resolve(LeRobotLayout.INFO), Json.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsString(MetaJson.info(o, robotType, rows.size(), index, tasks.size(), jointNames, cameras)));
    return index;
  }

  private MetaFiles.EpisodeMeta episode(int e) throws IOException {
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
      s = EpisodeSampler.sample(r, cameras.stream().map(CameraSpec::name).toList(), o.fps(), (k, images) -> {
        for (int c = 0; c < cameras.size(); c++) {
          CameraSpec cam = cameras.get(c);
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
    List<MetaFiles.VideoMeta> spans = new ArrayList<>();
    for (int c = 0; c < cameras.size(); c++) {
      stats.put(cameras.get(c).key(), FeatureStats.ofHistograms(histograms[c], n));
      spans.add(new MetaFiles.VideoMeta(videoAt[c][0], videoAt[c][1], (double) frameBase[c] / o.fps(),
          (double) (frameBase[c] + n) / o.fps()));
    }
    stats.put("timestamp", FeatureStats.of(ts, n, 1));
    stats.put("frame_index", FeatureStats.of(fi, n, 1));
    stats.put("episode_index", FeatureStats.of(ei, n, 1));
    stats.put("index", FeatureStats.of(gi, n, 1));
    stats.put("task_index", FeatureStats.of(ti, n, 1));
    LOG.debug("exported {}: {} frames", file, n);
    return new MetaFiles.EpisodeMeta(e, task, n, at[0], at[1], from, index, spans, stats);
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
    CameraSpec cam = cameras.get(c);
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

}
