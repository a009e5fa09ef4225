package io.optimus.teleop.scripted;

import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.TaskState;

/**
 * A synthetic operator's mind for one task: from the task state the robot publishes (and, optionally,
 * the robot's safety mode and palms as seen) it plans, tick by tick, palm poses in the robot frame,
 * finger and deadman levels and button presses, episode after episode.
 */
public interface ScriptedPlanner {
  /** Advances to time {@code t} (s, monotonic) given the latest task state (may be null) and fills {@code out}. */
  void tick(double t, TaskState task, ControlMode robotMode, PalmFeedback palms, PickPlacePlanner.Output out);

  boolean finished();

  int episodesDone();

  int successes();

  /** What the operator is doing now (for progress lines). */
  Enum<?> phase();
}
