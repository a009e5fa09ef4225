package io.optimus.motion.record;

import java.util.List;
import java.util.Map;

/**
 * One episode as the dataset index lists it (a row of {@code dataset.json}). {@code error} is set when
 * the file cannot be read as a finished episode (then most other fields are empty); {@code finished}
 * is false for a recording cut short (no outcome record: killed, then recovered).
 */
public record EpisodeEntry(String file, long bytes, long modifiedMs, String episodeId, String task, String operator,
    String robotModel, String robotModelHash, List<String> jointNames, List<String> cameras, String outcome,
    String notes, boolean finished, boolean recovered, String startTime, long startNs, double durationS,
    long stateFrames, long messages, Map<String, Long> messagesByTopic, Map<String, RateStats> rates,
    Map<String, Long> dropped, String error) {

  static EpisodeEntry unreadable(String file, long bytes, long modifiedMs, String error) {
    return new EpisodeEntry(file, bytes, modifiedMs, "", "", "", "", "", List.of(), List.of(), "", "", false, false,
        "", 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), error);
  }
}
