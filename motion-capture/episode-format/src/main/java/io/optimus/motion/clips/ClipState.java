package io.optimus.motion.clips;

import java.util.Locale;

/** Where a clip stands in review. */
public enum ClipState {
  PENDING, ACCEPTED, REJECTED;

  @com.fasterxml.jackson.annotation.JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ClipState parse(String s) {
    for (ClipState t : values()) {
      if (t.id().equals(s)) {
        return t;
      }
    }
    return null;
  }
}
