package io.optimus.bridge.safety;

/**
 * Checks a candidate joint command for self-collision. Implementations precompute everything and do
 * not allocate per call: the supervisor calls it every tick.
 */
public interface CollisionGuard {
  /**
   * Smallest clearance (m) between any two checked bodies at {@code q}; negative when they
   * penetrate. Also remembers which pair it was, for {@link #lastPair()}.
   */
  double clearance(double[] q);

  /** The closest pair found by the last {@link #clearance} call, e.g. "left_hand/torso". */
  String lastPair();

  /** q indices of the joints that move the bodies of the last closest pair (precomputed, do not modify). */
  int[] lastPairJoints();

  /** Motion that leaves less clearance than this is refused (m). */
  double margin();
}
