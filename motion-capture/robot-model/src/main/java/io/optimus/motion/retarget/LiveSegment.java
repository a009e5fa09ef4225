package io.optimus.motion.retarget;

import java.util.Locale;

/**
 * The body segments live closeness is reported for, as {@code mocap retarget} reports them: a
 * segment's position error at its far end (upper arm at the elbow, forearm and hand at the wrist,
 * thigh at the knee, shin at the ankle, torso at the shoulders, head at the head), left and right
 * pooled.
 */
public enum LiveSegment {
  HEAD, TORSO, UPPER_ARMS, FOREARMS, HANDS, THIGHS, SHINS;

  public static final int COUNT = 7;

  /** Lower-case name, e.g. {@code upper_arms} (the same keys as {@code mocap retarget}'s table). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
