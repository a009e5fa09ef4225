package io.optimus.motion.bvh;

import java.util.List;

/**
 * The body segments closeness is reported for. A segment's position error is taken at its far end
 * (the upper arm at the elbow, the forearm and the hand at the wrist, the thigh at the knee, the shin
 * at the ankle, the torso at the shoulders); its orientation is that of the joint it hangs from (the
 * torso's is the pelvis's), compared as rotations relative to the first frame, since rest poses of a
 * BVH rig and a robot differ.
 */
public enum BodySegment {
  HEAD(List.of(Keypoint.HEAD), List.of(Keypoint.HEAD)),
  TORSO(List.of(Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER), List.of(Keypoint.PELVIS, Keypoint.PELVIS)),
  UPPER_ARMS(List.of(Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW), List.of(Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER)),
  FOREARMS(List.of(Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST), List.of(Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW)),
  HANDS(List.of(Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST), List.of(Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST)),
  THIGHS(List.of(Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE), List.of(Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP)),
  SHINS(List.of(Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE), List.of(Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE));

  /** A sample is "close" within this position error, metres... */
  public static final double POSITION_OK_M = io.optimus.motion.retarget.Closeness.POSITION_OK_M;
  /** ...and this orientation error, degrees. */
  public static final double ORIENTATION_OK_DEG = io.optimus.motion.retarget.Closeness.ORIENTATION_OK_DEG;

  private final List<Keypoint> ends;
  private final List<Keypoint> orientedBy;

  BodySegment(List<Keypoint> ends, List<Keypoint> orientedBy) {
    this.ends = ends;
    this.orientedBy = orientedBy;
  }

  /** Keypoints whose position error is the segment's, one per side. */
  public List<Keypoint> ends() {
    return ends;
  }

  /** Keypoints whose orientation error is the segment's, one per side (same order as {@link #ends()}). */
  public List<Keypoint> orientedBy() {
    return orientedBy;
  }

  /** Lower-case name for tables and JSON, e.g. {@code upper_arms}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
