package io.optimus.motion.bvh;

import java.util.Locale;

/**
 * The body points mocap is retargeted by. Hips are included because leg segment lengths start there.
 * Each keypoint knows its parent in the chain that segment-length scaling walks from the pelvis.
 */
public enum Keypoint {
  PELVIS(null),
  LEFT_HIP(PELVIS), RIGHT_HIP(PELVIS),
  LEFT_KNEE(LEFT_HIP), RIGHT_KNEE(RIGHT_HIP),
  LEFT_ANKLE(LEFT_KNEE), RIGHT_ANKLE(RIGHT_KNEE),
  LEFT_SHOULDER(PELVIS), RIGHT_SHOULDER(PELVIS),
  LEFT_ELBOW(LEFT_SHOULDER), RIGHT_ELBOW(RIGHT_SHOULDER),
  LEFT_WRIST(LEFT_ELBOW), RIGHT_WRIST(RIGHT_ELBOW),
  HEAD(PELVIS);

  private final Keypoint parent;

  Keypoint(Keypoint parent) {
    this.parent = parent;
  }

  /** The keypoint this one hangs from for segment scaling; null for the pelvis. */
  public Keypoint parent() {
    return parent;
  }

  /** Lower-case name as used in map files and reports, e.g. {@code left_wrist}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code left_wrist}, {@code LEFT_WRIST} or {@code left-wrist}; null when unknown. */
  public static Keypoint parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Keypoint k : values()) {
      if (k.name().equals(t)) {
        return k;
      }
    }
    return null;
  }
}
