package io.optimus.motion.clips;

import java.util.Locale;

/** What cut a clip. */
public enum ClipTrigger {
  /** A shadow policy disagreed with the human above a threshold for a minimum duration. */
  DISAGREEMENT,
  /** The safety supervisor limited or stopped the motion. */
  SAFETY,
  /** The operator took over from the driving policy (the corrective segment). */
  TAKEOVER,
  /** The episode ended as a failure. */
  TASK_FAILURE,
  /** The policy's overlapping action chunks spread apart above a threshold for a minimum duration. */
  UNCERTAINTY;

  @com.fasterxml.jackson.annotation.JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The trigger named {@code s} ({@code disagreement}, {@code task_failure}, ...), or null. */
  public static ClipTrigger parse(String s) {
    for (ClipTrigger t : values()) {
      if (t.id().equals(s)) {
        return t;
      }
    }
    return null;
  }
}
