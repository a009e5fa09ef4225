package io.optimus.policy.data;

/**
 * One demonstration as training arrays, tick by tick: measured joint positions and velocities, the
 * commanded positions (the actions), and the head-camera features of the frame current at that tick
 * (null when the set has no images). All joint arrays are indexed like {@link JointLayout}.
 */
public record EpisodeData(String id, float[][] q, float[][] dq, float[][] commanded, float[][] features,
    boolean success) {
  public EpisodeData {
    if (q.length == 0) {
      throw new IllegalArgumentException("episode " + id + " has no ticks");
    }
    if (dq.length != q.length || commanded.length != q.length || (features != null && features.length != q.length)) {
      throw new IllegalArgumentException("episode " + id + ": arrays differ in length");
    }
  }

  public int length() {
    return q.length;
  }
}
