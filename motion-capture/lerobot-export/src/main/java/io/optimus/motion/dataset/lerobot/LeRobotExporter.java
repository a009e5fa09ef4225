package io.optimus.motion.dataset.lerobot;

import io.optimus.common.FileTrees;
import io.optimus.common.InputException;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
    List<CameraSpec> cameras = cameraSizes(datasetDir, usable, cameraNames);
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
      long frames = new ExportWriter(datasetDir, tmp, o, usable, cameras, tasks).write();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return new Report(out, usable.size(), frames, tasks.size(), cameraNames, skipped, (double) frames / o.fps(),
          sourceBytes, sizeOf(target));
    } catch (IOException | RuntimeException | Error e) {
      if (!FileTrees.deleteQuietly(tmp)) {
        LOG.warn("cannot remove the unfinished export {}", tmp);
      }
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

  private static List<CameraSpec> cameraSizes(Path dir, List<EpisodeEntry> usable, List<String> names) throws IOException {
    List<CameraSpec> out = new ArrayList<>();
    for (String c : names) {
      CameraSpec first = null;
      String firstFile = null;
      for (EpisodeEntry e : usable) {
        try (EpisodeReader r = EpisodeReader.open(dir.resolve(e.file()))) {
          Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(c)));
          if (!it.hasNext()) {
            throw new InputException(dir.resolve(e.file()) + ": camera '" + c + "' has no frames");
          }
          CameraFrame f = it.next().as(CameraFrame.class);
          CameraSpec cam = new CameraSpec(c, f.getWidth(), f.getHeight());
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
}
