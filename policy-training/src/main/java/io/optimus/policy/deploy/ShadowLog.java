package io.optimus.policy.deploy;

import io.optimus.common.Json;
import io.optimus.policy.data.JointLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shadow-mode bookkeeping: per policy step, how far the policy's target is from what the human's
 * teleoperation commanded at the same moment (mean absolute joint difference, rad); per episode
 * (an engaged span), the summary, flagged when the mean disagreement exceeds the threshold: those
 * are the episodes where the human did something the policy would not have, worth adding to the
 * training set. An episode is keyed by the bridge's recording it happened in (its episode id; the
 * bridge records the same predictions per tick on the episode's {@code /shadow} channel), or
 * "unrecorded-N" when the bridge was not recording. Writes {@code episode-ID.csv} (per step) and
 * {@code episodes.jsonl} (per episode).
 */
public final class ShadowLog implements AutoCloseable {
  /** One finished shadow episode. */
  public record Episode(String episodeId, long startWallNs, int steps, double meanDisagreement, double p95Disagreement,
      double maxDisagreement, Map<String, Double> meanByGroup, boolean flagged) {}

  private final Path dir;
  private final JointLayout joints;
  private final Map<String, int[]> groups;
  private final double threshold;
  private final List<Episode> episodes = new ArrayList<>();
  private BufferedWriter steps;
  private double[] values = new double[1024];
  private double[] groupSums;
  private int n;
  private long startWall;
  private String episodeId;

  public ShadowLog(Path dir, JointLayout joints, double flagThreshold) {
    this.dir = dir;
    this.joints = joints;
    this.groups = joints.groupIndices();
    this.threshold = flagThreshold;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create shadow log directory " + dir, e);
    }
  }

  public boolean inEpisode() {
    return steps != null;
  }

  /** Starts the episode recorded as {@code recordedEpisodeId} by the bridge (empty: not recorded). */
  public void begin(String recordedEpisodeId, long wallNs) {
    end();
    episodeId = recordedEpisodeId == null || recordedEpisodeId.isEmpty() ? "unrecorded-" + episodes.size()
        : recordedEpisodeId;
    try {
      steps = Files.newBufferedWriter(dir.resolve("episode-" + episodeId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".csv"));
      steps.write("stamp_ns,disagreement_rad\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shadow log in " + dir, e);
    }
    n = 0;
    groupSums = new double[groups.size()];
    startWall = wallNs;
  }

  /** One step: the policy's and the human's targets in the policy's joint order. */
  public void step(long stampNs, float[] policy, double[] human) {
    if (steps == null) {
      return;
    }
    double sum = 0;
    for (int i = 0; i < policy.length; i++) {
      sum += Math.abs(policy[i] - human[i]);
    }
    double d = sum / policy.length;
    int g = 0;
    for (int[] idx : groups.values()) {
      double s = 0;
      for (int i : idx) {
        s += Math.abs(policy[i] - human[i]);
      }
      groupSums[g++] += s / idx.length;
    }
    if (n == values.length) {
      values = Arrays.copyOf(values, n * 2);
    }
    values[n++] = d;
    try {
      steps.write(stampNs + "," + d + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shadow log in " + dir, e);
    }
  }

  /** Ends the current episode (if any) and returns its summary (null when none or empty). */
  public Episode end() {
    if (steps == null) {
      return null;
    }
    try {
      steps.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    steps = null;
    if (n == 0) {
      return null;
    }
    double[] s = Arrays.copyOf(values, n);
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0);
    Map<String, Double> byGroup = new LinkedHashMap<>();
    int g = 0;
    for (String name : groups.keySet()) {
      byGroup.put(name, groupSums[g++] / n);
    }
    Episode e = new Episode(episodeId, startWall, n, mean, s[(int) Math.min(n - 1, Math.ceil(0.95 * n) - 1)],
        s[n - 1], byGroup, mean > threshold);
    episodes.add(e);
    try {
      Files.writeString(dir.resolve("episodes.jsonl"), Json.MAPPER.writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(e) + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write shadow log in " + dir, ex);
    }
    return e;
  }

  public List<Episode> episodes() {
    return List.copyOf(episodes);
  }

  public Path dir() {
    return dir;
  }

  public JointLayout joints() {
    return joints;
  }

  @Override
  public void close() {
    end();
  }
}
