package io.optimus.bridge.engine;

/**
 * When triggers cut clips.
 *
 * @param disagreementRad mean |shadow - human| over all joints (rad) above which the shadow disagrees
 * @param disagreementMinS how long it must disagree to cut a clip
 * @param uncertaintyRad chunk spread (rad) above which the policy is unsure
 * @param uncertaintyMinS how long it must be unsure
 * @param safetyWindowS a safety intervention's clip covers this long before it; later interventions
 *     within this long of a clipped one are part of it
 */
public record TriggerSettings(double disagreementRad, double disagreementMinS, double uncertaintyRad,
    double uncertaintyMinS, double safetyWindowS) {
  public static final TriggerSettings DEFAULTS = new TriggerSettings(0.15, 0.3, 0.05, 0.3, 2.0);
}
