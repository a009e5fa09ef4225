package io.optimus.motion.record;

import java.util.List;
import java.util.Map;

/**
 * One episode as the dataset index lists it (a row of {@code dataset.json}). {@code error} is set when
 * the file cannot be read as a finished episode (then most other fields are empty); {@code finished}
 * is false for a recording cut short (no outcome record: killed, then recovered). {@code tags} are the
 * episode header's.
 */
public record EpisodeEntry(String file, long bytes, long modifiedMs, String episodeId, String task, String operator,
    String robotModel, String robotModelHash, List<String> jointNames, List<String> cameras, String outcome,
    String notes, boolean finished, boolean recovered, String startTime, long startNs, double durationS,
    long stateFrames, long messages, Map<String, Long> messagesByTopic, Map<String, RateStats> rates,
    Map<String, Long> dropped, Map<String, String> tags, String error) {
  /**
   * Header tag saying where the episode's commanded positions (the actions a policy learns) come from;
   * {@link #EXPERT_LABELS}: an expert's command at every recorded state, whoever drove the robot (DAgger).
   */
  public static final String LABELS_TAG = "labels";
  public static final String EXPERT_LABELS = "expert";

  static EpisodeEntry unreadable(String file, long bytes, long modifiedMs, String error) {
    return new EpisodeEntry(file, bytes, modifiedMs, "", "", "", "", "", List.of(), List.of(), "", "", false, false,
        "", 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of(), error);
  }

  /** Its actions are an expert's at every state (see {@link #LABELS_TAG}). */
  public boolean expertLabelled() {
    return tags != null && EXPERT_LABELS.equals(tags.get(LABELS_TAG));
  }

  /**
   * A policy may learn from it: readable, not discarded, and either not failed or labelled by an expert
   * (a failed drive whose every state carries the expert's action is what DAgger learns from).
   */
  public boolean trainable() {
    return error == null && !outcome.equals("DISCARD") && (!outcome.equals("FAILURE") || expertLabelled());
  }
}
