package io.optimus.policy.data;

/**
 * One demonstration as training arrays, tick by tick: measured joint positions and velocities, the
 * commanded positions (the actions), and the image features of the frames current at that tick, one
 * map per camera the policy sees, concatenated (null when the set has no images). All joint arrays are indexed like {@link JointLayout}.
 * {@code notImitated} marks ticks whose actions are not to be learned (null: every tick is), e.g. the
 * reach into a grasp that missed: they still serve as the context of other ticks.
 */
public record EpisodeData(String id, float[][] q, float[][] dq, float[][] commanded, float[][] features,
    boolean success, boolean[] notImitated) {
  public EpisodeData {
    if (q.length == 0) {
      throw new IllegalArgumentException("episode " + id + " has no ticks");
    }
    if (dq.length != q.length || commanded.length != q.length || (features != null && features.length != q.length)
        || (notImitated != null && notImitated.length != q.length)) {
      throw new IllegalArgumentException("episode " + id + ": arrays differ in length");
    }
  }

  public EpisodeData(String id, float[][] q, float[][] dq, float[][] commanded, float[][] features, boolean success) {
    this(id, q, dq, commanded, features, success, null);
  }

  public int length() {
    return q.length;
  }

  /** Whether tick {@code t}'s action chunk is a training target. */
  public boolean imitated(int t) {
    return notImitated == null || !notImitated[t];
  }
}
