package io.optimus.policy.engine;

import io.optimus.teleop.scripted.TakeoverRule;

/**
 * What one round of the data engine measured, kept as {@code metrics.json} in the round's directory.
 *
 * @param round 0 for the starting policy (evaluated only), then 1, 2, ...
 * @param kind {@code start}, {@code engine} (supervised rollouts' corrective segments added), {@code dagger}
 *     (supervised rollouts added whole, every state labelled by the expert) or {@code demos}
 *     (the control: the same number of frames added as full scripted demonstrations)
 * @param policy the run that drove the round's rollouts (for round 0: the starting run itself)
 * @param dataset the round's dataset (the previous one's episodes, linked, and what the round added)
 * @param run the run trained on it (round 0: the starting run)
 * @param datasetEpisodes usable episodes in the dataset (not failed, readable)
 * @param datasetFrames their state frames
 * @param rollouts the supervised rollouts (engine rounds only)
 * @param added what the round added to the training data: episodes and state frames (usable ones)
 * @param training how the run was trained (null for round 0)
 * @param eval the run's closed-loop evaluation on held-out seeds
 */
public record RoundMetrics(int round, String kind, String task, String world, String policy, String dataset, String run,
    int datasetEpisodes, long datasetFrames, SupervisedRollouts.Result rollouts, Added added, Training training,
    Evaluation eval, TakeoverRule takeoverRule, String finishedAt, double wallSeconds) {
  public static final String START = "start";
  public static final String ENGINE = "engine";
  public static final String DAGGER = "dagger";
  public static final String DEMOS = "demos";

  /** Usable episodes and state frames a round added to the training data. */
  public record Added(int episodes, long frames) {}

  /**
   * @param mode {@code scratch}: a new run on the round's whole dataset with the starting run's config
   */
  public record Training(String mode, int steps, double seconds, Double heldOutActionErrorRad) {}

  /** @param stages how far the episodes got (palm at the cube, grasped, lifted), to see progress short of success */
  public record Evaluation(int episodes, long seed, double timeoutS, int successes, double successRate,
      Double meanTimeToSuccessS, io.optimus.policy.eval.PolicyEvaluator.Stages stages) {}
}
