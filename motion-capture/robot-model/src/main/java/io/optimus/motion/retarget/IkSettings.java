package io.optimus.motion.retarget;

/**
 * Tuning of {@link WholeBodyIk}.
 *
 * @param damping constant Levenberg damping added to every unknown; keeps the system positive definite
 * @param adaptiveDamping damping added per unit of weighted task cost (Sugihara's LM rule): large
 *     far from the targets and near singularities, vanishing at convergence, so reachable targets
 *     are met exactly
 * @param postureWeight weight of the pull towards the posture reference; orders of magnitude below
 *     the task weights, so it only acts where the tasks leave freedom (their null space) and biases a
 *     converged task by micrometres
 * @param comWeight weight of the horizontal centre-of-mass task (balance)
 * @param maxBaseSpeed floating base linear speed limit, m/s
 * @param maxBaseAngularSpeed floating base angular speed limit, rad/s
 * @param activeSetIterations passes of the bound-fixing active-set loop
 */
public record IkSettings(double damping, double adaptiveDamping, double postureWeight, double comWeight, double maxBaseSpeed,
    double maxBaseAngularSpeed, int activeSetIterations) {
  /** The earlier form without adaptive damping (kept for callers written against it). */
  public IkSettings(double damping, double postureWeight, double comWeight, double maxBaseSpeed,
      double maxBaseAngularSpeed, int activeSetIterations) {
    this(damping, 1e-2, postureWeight, comWeight, maxBaseSpeed, maxBaseAngularSpeed, activeSetIterations);
  }

  public static final IkSettings DEFAULT = new IkSettings(1e-3, 0.05, 1e-5, 10, 0.5, 1.5, 16);
}
