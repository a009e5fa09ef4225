package io.optimus.motion.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code optimus dataset info} prints: totals, joints, cameras, outcomes, per-topic frame-rate
 * statistics over all episodes, gaps and drops, and the per-episode rows.
 */
public record DatasetInfo(String dir, int episodes, int readable, int unfinished, long stateFrames, long messages,
    double durationS, long bytes, Joints joints, List<String> cameras, Map<String, Integer> outcomes,
    Map<String, TopicRates> frameRates, Gaps gaps, Map<String, Long> dropped, List<String> unreadable,
    List<EpisodeEntry> episodeList) {

  public record Joints(int count, List<String> names, List<String> robotModels) {}

  /** Over all episodes: frames, mean rate (frames / time), worst and best per-episode mean rate. */
  public record TopicRates(long frames, double nominalHz, double meanHz, double minEpisodeMeanHz,
      double maxEpisodeMeanHz, double maxIntervalS) {}

  public record Gaps(long total, double maxGapS, int episodesWithGaps, Map<String, Long> byTopic) {}

  static DatasetInfo of(Dataset d) {
    int readable = 0;
    int unfinished = 0;
    long frames = 0;
    long messages = 0;
    long bytes = 0;
    double duration = 0;
    List<String> jointNames = List.of();
    TreeSet<String> models = new TreeSet<>();
    TreeSet<String> cameras = new TreeSet<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, double[]> rates = new TreeMap<>(); // frames, span, min mean, max mean, nominal, max interval, intervals
    Map<String, Long> gapsByTopic = new TreeMap<>();
    Map<String, Long> dropped = new TreeMap<>();
    long gaps = 0;
    double maxGap = 0;
    int episodesWithGaps = 0;
    List<String> unreadable = new ArrayList<>();
    for (EpisodeEntry e : d.episodes()) {
      bytes += e.bytes();
      if (e.error() != null) {
        unreadable.add(e.file() + ": " + e.error());
        continue;
      }
      readable++;
      if (!e.finished()) {
        unfinished++;
      }
      frames += e.stateFrames();
      messages += e.messages();
      duration += e.durationS();
      if (jointNames.size() < e.jointNames().size()) {
        jointNames = e.jointNames();
      }
      if (!e.robotModel().isEmpty()) {
        models.add(e.robotModel() + " " + e.robotModelHash());
      }
      cameras.addAll(e.cameras());
      outcomes.merge(e.finished() ? e.outcome() : "UNFINISHED", 1, Integer::sum);
      boolean any = false;
      for (Map.Entry<String, RateStats> r : e.rates().entrySet()) {
        RateStats s = r.getValue();
        double[] a = rates.computeIfAbsent(r.getKey(), k -> new double[] {0, 0, Double.MAX_VALUE, 0, 0, 0, 0});
        a[0] += s.frames();
        if (s.meanHz() > 0) {
          a[1] += (s.frames() - 1) / s.meanHz();
          a[6] += s.frames() - 1;
        }
        if (s.frames() > 1) {
          a[2] = Math.min(a[2], s.meanHz());
          a[3] = Math.max(a[3], s.meanHz());
        }
        a[4] = Math.max(a[4], s.nominalHz());
        a[5] = Math.max(a[5], s.maxIntervalS());
        if (s.gaps() > 0) {
          any = true;
          gaps += s.gaps();
          gapsByTopic.merge(r.getKey(), s.gaps(), Long::sum);
          maxGap = Math.max(maxGap, s.maxGapS());
        }
      }
      if (any) {
        episodesWithGaps++;
      }
      e.dropped().forEach((k, v) -> dropped.merge(k, v, Long::sum));
    }
    Map<String, TopicRates> topicRates = new TreeMap<>();
    for (Map.Entry<String, double[]> r : rates.entrySet()) {
      double[] a = r.getValue();
      topicRates.put(r.getKey(), new TopicRates((long) a[0], a[4], a[1] > 0 ? a[6] / a[1] : 0,
          a[2] == Double.MAX_VALUE ? 0 : a[2], a[3], a[5]));
    }
    return new DatasetInfo(d.dir().toString(), d.episodes().size(), readable, unfinished, frames, messages, duration,
        bytes, new Joints(jointNames.size(), jointNames, List.copyOf(models)), List.copyOf(cameras), outcomes,
        topicRates, new Gaps(gaps, maxGap, episodesWithGaps, gapsByTopic), dropped, unreadable, d.episodes());
  }
}
