package io.optimus.policy.train;

import java.util.Map;

/**
 * Held-out action error in joint units (rad or m): mean absolute error of the predicted chunk
 * against what the demonstrator commanded, per joint group and overall, next to the same error of
 * the mean-action baseline (always predict the training set's mean command).
 *
 * @param firstStep error of the first action of each chunk only (what a policy without ensembling executes)
 */
public record ActionErrors(int samples, double overall, double firstStep, Map<String, Double> perGroup,
    double baselineOverall, Map<String, Double> baselinePerGroup) {
  /** Policy error over baseline error; well below 1 means the policy learned something. */
  public double ratioToBaseline() {
    return overall / baselineOverall;
  }
}
