package io.optimus.policy.data;

import io.optimus.common.InputException;
import io.optimus.motion.record.CameraFrames;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.encode.BackboneImageEncoder;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.encode.TaskStateEncoder;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.TaskState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demonstrations from a dataset directory of recorded episodes: every /state tick becomes a sample
 * (measured q and dq, the commanded positions as actions) paired with the latest frame at or before it
 * of each camera the policy sees (the head camera unless told), encoded once per camera by the frozen
 * image encoder, cached beside the dataset, and concatenated camera after camera.
 * Episodes marked DISCARD or FAILURE are left out (FAILURE kept where an expert labelled every state:
 * {@link io.optimus.motion.record.EpisodeEntry#trainable}); unreadable ones are skipped with a warning.
 * Each episode starts at its first commanded motion ({@link #firstMotion}).
 */
public final class RecordedDemos {
  public static final String CAMERA = "head";
  public static final String CACHE_DIR = ".policy-features";
  private static final Logger LOG = LoggerFactory.getLogger(RecordedDemos.class);
  private static final int ENCODE_BATCH = 16;
  /** Commanded motion (rad, or m for prismatic joints) below which the robot counts as not yet moving. */
  static final float IDLE_TOLERANCE = 1e-3f;
  /**
   * Around a grasp that took nothing, the ticks not imitated (s before and after the closing): the
   * reach to the wrong spot and the closing there. What follows (open, back off, grasp again) is.
   */
  static final double MISS_LEAD_S = 1.2;
  static final double MISS_TRAIL_S = 0.5;

  private RecordedDemos() {}

  public static DemoSet load(Path dir, ImageEncoder encoder, Integer maxEpisodes, PrintStream progress) {
    return load(dir, encoder, maxEpisodes, 0, progress);
  }

  /**
   * @param policyRateHz subsample the recorded states to about this rate (0 = keep every state): a
   *     policy stepping at 50 Hz learns from 50 Hz samples of a 250 Hz recording
   */
  public static DemoSet load(Path dir, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      PrintStream progress) {
    return load(dir, encoder, maxEpisodes, policyRateHz, false, progress);
  }

  /** @param includeFailed also use episodes marked FAILURE (for timing runs, never for training a task) */
  public static DemoSet load(Path dir, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      boolean includeFailed, PrintStream progress) {
    return load(dir, encoder, maxEpisodes, policyRateHz, includeFailed, List.of(CAMERA), progress);
  }

  /** @param cameras the cameras whose frames each sample holds, in order (every episode must record them) */
  public static DemoSet load(Path dir, ImageEncoder encoder, Integer maxEpisodes, double policyRateHz,
      boolean includeFailed, List<String> cameras, PrintStream progress) {
    try {
      Dataset dataset = Dataset.open(dir);
      List<EpisodeEntry> usable = new ArrayList<>();
      for (EpisodeEntry e : dataset.episodes()) {
        if (e.error() != null) {
          LOG.warn("skipping {}: {}", e.file(), e.error());
        } else if (e.outcome().equals("DISCARD") || (!includeFailed && !e.trainable())) {
          LOG.info("skipping {}: outcome {}", e.file(), e.outcome());
        } else {
          usable.add(e);
        }
      }
      if (usable.isEmpty()) {
        throw new InputException("dataset " + dir + ": no usable episodes (" + dataset.episodes().size()
            + " files; unreadable, discarded or failed ones are left out)");
      }
      if (maxEpisodes != null) {
        if (usable.size() < maxEpisodes) {
          throw new InputException("dataset " + dir + ": asked for " + maxEpisodes + " episodes, it has " + usable.size()
              + " usable");
        }
        usable = usable.subList(0, maxEpisodes);
      }
      boolean privileged = encoder instanceof TaskStateEncoder;
      if (privileged && cameras.size() != 1) {
        throw new InputException("encoder " + TaskStateEncoder.ID + " sees the task state, not cameras: leave cameras at"
            + " its default, not " + cameras);
      }
      if (encoder != null && !privileged) {
        for (EpisodeEntry e : usable) {
          for (String c : cameras) {
            if (!e.cameras().contains(c)) {
              throw new InputException("dataset " + dir + ": episode " + e.file() + " has no " + c + " camera (it records "
                  + e.cameras() + "); the policy's cameras are " + cameras);
            }
          }
        }
      }
      FeatureCache cache = new FeatureCache(dir.resolve(CACHE_DIR));
      JointLayout layout = null;
      double rate = 0;
      int stride = 1;
      List<EpisodeData> episodes = new ArrayList<>();
      int done = 0;
      for (EpisodeEntry e : usable) {
        Path file = dir.resolve(e.file());
        try (EpisodeReader r = EpisodeReader.open(file)) {
          JointLayout l = layout(r.header(), file);
          if (layout == null) {
            layout = l;
            rate = r.header().getControlRateHz() > 0 ? r.header().getControlRateHz() : r.header().getRobot().getControlRateHz();
            if (policyRateHz > 0 && rate > policyRateHz) {
              stride = (int) Math.round(rate / policyRateHz);
            }
          } else if (!layout.names().equals(l.names())) {
            throw new InputException(file + ": joints differ from the dataset's first episode (" + l.size() + " vs "
                + layout.size() + " joints, or another order): one policy drives one body");
          }
          episodes.add(readEpisode(r, file, l, encoder, cameras, cache, stride, rate / stride));
        }
        done++;
        if (progress != null) {
          progress.printf("\rloading episodes %d/%d", done, usable.size());
          if (done == usable.size()) {
            progress.println();
          }
        }
      }
      long masked = 0;
      int withMiss = 0;
      for (EpisodeData e : episodes) {
        if (e.notImitated() != null) {
          withMiss++;
          for (boolean b : e.notImitated()) {
            masked += b ? 1 : 0;
          }
        }
      }
      if (withMiss > 0) {
        LOG.info("{}: {} episodes show a missed grasp; the {} ticks leading into the misses are not imitated", dir,
            withMiss, masked);
      }
      return new DemoSet(layout, encoder == null ? null : encoder.shape().withViews(cameras.size()),
          encoder == null ? "none" : encoder.id(), rate / stride, episodes, cameras);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + dir, e);
    }
  }

  /** Side of the first head-camera image in the dataset (96 when there is none). */
  public static int imageSize(Path dir) {
    try {
      Dataset dataset = Dataset.open(dir);
      for (EpisodeEntry e : dataset.episodes()) {
        if (e.error() != null || !e.cameras().contains(CAMERA)) {
          continue;
        }
        try (EpisodeReader r = EpisodeReader.open(dir.resolve(e.file()))) {
          Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(CAMERA)));
          if (it.hasNext()) {
            return it.next().as(CameraFrame.class).getWidth();
          }
        }
      }
      return 96;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + dir, e);
    }
  }

  static JointLayout layout(EpisodeHeader h, Path file) {
    List<JointInfo> joints = h.getRobot().getJointsList();
    if (joints.isEmpty()) {
      throw new InputException(file + ": the episode header describes no joints");
    }
    return new JointLayout(joints.stream().map(JointInfo::getName).toList(),
        joints.stream().map(JointInfo::getGroup).toList());
  }

  private static EpisodeData readEpisode(EpisodeReader r, Path file, JointLayout layout, ImageEncoder encoder,
      List<String> cameras, FeatureCache cache, int stride, double sampleRateHz) {
    int j = layout.size();
    boolean privileged = encoder instanceof TaskStateEncoder;
    int views = encoder == null || privileged ? 0 : cameras.size();
    List<TaskState> taskOfTick = privileged ? new ArrayList<>() : null;
    TaskState task = null;
    List<String> cameraTopics = cameras.stream().map(EpisodeTopics::camera).toList();
    List<float[]> q = new ArrayList<>();
    List<float[]> dq = new ArrayList<>();
    List<float[]> cmd = new ArrayList<>();
    List<int[]> framesOfTick = new ArrayList<>();
    List<Integer> missedAt = new ArrayList<>();
    int missed = 0;
    List<List<byte[]>> images = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      images.add(new ArrayList<>());
    }
    int[] imageW = new int[views];
    int[] imageH = new int[views];
    long stateIndex = -1;
    List<String> topics = new ArrayList<>(List.of(EpisodeTopics.STATE, EpisodeTopics.TASK));
    if (views > 0) {
      topics.addAll(cameraTopics);
    }
    for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, topics); it.hasNext(); ) {
      EpisodeFrame f = it.next();
      if (f.topic().equals(EpisodeTopics.TASK)) {
        task = f.as(TaskState.class);
        missed = task.getMissedGrasps();
        continue;
      }
      int view = views == 0 ? -1 : cameraTopics.indexOf(f.topic());
      if (view >= 0) {
        CameraFrame c = f.as(CameraFrame.class);
        images.get(view).add(CameraFrames.rgb8(c, file + " " + f.topic() + " #" + f.sequence()));
        imageW[view] = c.getWidth();
        imageH[view] = c.getHeight();
        continue;
      }
      if (++stateIndex % stride != 0) {
        continue;
      }
      JointState s = f.as(JointState.class);
      String where = file + " /state #" + f.sequence();
      if (s.getPositionCount() != j) {
        throw new InputException(where + ": " + s.getPositionCount() + " positions, the header lists " + j + " joints");
      }
      float[] qi = new float[j];
      float[] dqi = new float[j];
      float[] ci = new float[j];
      for (int i = 0; i < j; i++) {
        qi[i] = (float) s.getPosition(i);
        dqi[i] = s.getVelocityCount() == j ? (float) s.getVelocity(i) : 0f;
        ci[i] = s.getCommandedPositionCount() == j ? (float) s.getCommandedPosition(i) : qi[i];
        if (!Float.isFinite(qi[i]) || !Float.isFinite(dqi[i]) || !Float.isFinite(ci[i])) {
          throw new InputException(where + ": joint " + layout.names().get(i) + " is not finite (q " + s.getPosition(i)
              + ", commanded " + (s.getCommandedPositionCount() == j ? s.getCommandedPosition(i) : Double.NaN) + ")");
        }
      }
      q.add(qi);
      dq.add(dqi);
      cmd.add(ci);
      int[] latest = new int[views]; // -1: before the camera's first frame; filled with frame 0 below
      for (int v = 0; v < views; v++) {
        latest[v] = images.get(v).size() - 1;
      }
      framesOfTick.add(latest);
      missedAt.add(missed);
      if (privileged) {
        taskOfTick.add(task);
      }
    }
    if (q.isEmpty()) {
      throw new InputException(file + ": no /state messages");
    }
    int start = firstMotion(cmd);
    if (start > 0) {
      LOG.debug("{}: {} leading ticks before the first commanded motion left out", file, start);
      q.subList(0, start).clear();
      dq.subList(0, start).clear();
      cmd.subList(0, start).clear();
      framesOfTick.subList(0, start).clear();
      missedAt.subList(0, start).clear();
      if (privileged) {
        taskOfTick.subList(0, start).clear();
      }
    }
    boolean[] notImitated = missedGrasps(missedAt, sampleRateHz);
    float[][] features = null;
    if (privileged) {
      features = taskFeatures((TaskStateEncoder) encoder, taskOfTick, q, layout, file, sampleRateHz);
    } else if (encoder != null) {
      float[][][] perView = new float[views][][];
      for (int v = 0; v < views; v++) {
        if (images.get(v).isEmpty()) {
          throw new InputException(file + ": no " + cameraTopics.get(v) + " frames, and the policy sees camera "
              + cameras.get(v));
        }
        String key = cacheKey(encoder, cameras.get(v));
        perView[v] = cache.get(key, file, images.get(v).size(), encoder.shape().size());
        if (perView[v] == null) {
          perView[v] = encodeAll(encoder, images.get(v), imageW[v], imageH[v]);
          cache.put(key, file, perView[v]);
        }
        images.get(v).clear(); // the pixels are no longer needed
      }
      features = concatenated(perView, framesOfTick, encoder.shape().size());
    }
    boolean success = r.outcome().map(o -> o.getTaskSuccess()).orElse(false);
    return new EpisodeData(r.header().getEpisodeId().isEmpty() ? file.getFileName().toString() : r.header().getEpisodeId(),
        q.toArray(float[][]::new), dq.toArray(float[][]::new), cmd.toArray(float[][]::new), features, success,
        notImitated);
  }

  /**
   * Each tick's {@link TaskStateEncoder} features: the latest task state at or before it (ticks before the
   * first task state take the first one: the world does not move before the robot does).
   */
  static float[][] taskFeatures(TaskStateEncoder encoder, List<TaskState> taskOfTick, List<float[]> q,
      JointLayout layout, Path file, double sampleRateHz) {
    int[] rigIndex = encoder.rigIndex(layout.names());
    TaskState first = taskOfTick.stream().filter(java.util.Objects::nonNull).findFirst()
        .orElseThrow(() -> new InputException(file + ": no task state recorded, and the policy observes it ("
            + TaskStateEncoder.ID + ")"));
    float[][] out = new float[taskOfTick.size()][];
    for (int t = 0; t < out.length; t++) {
      TaskState s = taskOfTick.get(t) == null ? first : taskOfTick.get(t);
      // tick 0 is the first commanded motion (the idle lead-in was cut): the phase clock starts there
      out[t] = encoder.encode(s, q.get(t), rigIndex, t / sampleRateHz, new float[encoder.channels()],
          file + " tick " + t);
    }
    return out;
  }

  /** The feature cache's key of a camera: the encoder id alone for the head (caches written before wrists count). */
  static String cacheKey(ImageEncoder encoder, String camera) {
    return camera.equals(CAMERA) ? encoder.id() : encoder.id() + "@" + camera;
  }

  /**
   * Each tick's features: the latest frame of every camera, camera after camera. Ticks that see the same
   * frames share one array (cameras render together, so a frame round is one array, not one per tick);
   * with one camera they are the encoder's own arrays.
   */
  static float[][] concatenated(float[][][] perView, List<int[]> framesOfTick, int viewSize) {
    int views = perView.length;
    float[][] out = new float[framesOfTick.size()][];
    int[] previous = null;
    for (int t = 0; t < out.length; t++) {
      int[] idx = framesOfTick.get(t);
      if (views == 1) {
        out[t] = perView[0][Math.max(0, idx[0])];
      } else if (previous != null && java.util.Arrays.equals(previous, idx)) {
        out[t] = out[t - 1];
      } else {
        float[] f = new float[views * viewSize];
        for (int v = 0; v < views; v++) {
          System.arraycopy(perView[v][Math.max(0, idx[v])], 0, f, v * viewSize, viewSize);
        }
        out[t] = f;
      }
      previous = idx;
    }
    return out;
  }

  /**
   * The tick a demonstration starts from: the last one before the commanded positions first move
   * (0 if they never do). A recording starts before the robot engages, and those ticks, all at the
   * same pose with the same view, are labelled "stay" for as long as the operator took to take the
   * deadman. A policy that learns them well holds still at its start pose for ever: it sees exactly
   * that pose and that view in every rollout (0 of 30 episodes reached the cube with dModel 256).
   */
  static int firstMotion(List<float[]> commanded) {
    float[] first = commanded.get(0);
    for (int t = 1; t < commanded.size(); t++) {
      float[] c = commanded.get(t);
      for (int i = 0; i < c.length; i++) {
        if (Math.abs(c[i] - first[i]) > IDLE_TOLERANCE) {
          return t - 1;
        }
      }
    }
    return 0;
  }

  /**
   * Ticks not to imitate: from {@link #MISS_LEAD_S} before to {@link #MISS_TRAIL_S} after each tick where
   * the task's missed-grasp count rose (null when it never does). A demonstration that shows a missed
   * grasp teaches the recovery; the miss itself is not what the operator meant to do.
   */
  static boolean[] missedGrasps(List<Integer> missedAt, double rateHz) {
    boolean[] mask = null;
    int lead = (int) Math.round(MISS_LEAD_S * rateHz);
    int trail = (int) Math.round(MISS_TRAIL_S * rateHz);
    for (int t = 1; t < missedAt.size(); t++) {
      if (missedAt.get(t) > missedAt.get(t - 1)) {
        mask = mask == null ? new boolean[missedAt.size()] : mask;
        java.util.Arrays.fill(mask, Math.max(0, t - lead), Math.min(mask.length, t + trail + 1), true);
      }
    }
    return mask;
  }

  private static float[][] encodeAll(ImageEncoder encoder, List<byte[]> images, int w, int h) {
    float[][] out = new float[images.size()][];
    if (encoder instanceof BackboneImageEncoder b) {
      for (int from = 0; from < images.size(); from += ENCODE_BATCH) {
        List<byte[]> batch = images.subList(from, Math.min(images.size(), from + ENCODE_BATCH));
        float[][] f = b.encodeBatch(batch, w, h);
        System.arraycopy(f, 0, out, from, f.length);
      }
    } else {
      for (int i = 0; i < images.size(); i++) {
        out[i] = encoder.encode(images.get(i), w, h);
      }
    }
    return out;
  }
}
