package io.optimus.motion.model;

import java.util.Locale;

/** Body-part group of a joint from its name ("left_leg", "waist", "neck", "right_arm", "left_hand", ...). */
final class JointGroups {
  private JointGroups() {}

  static String of(String jointName) {
    String n = jointName.toLowerCase(Locale.ROOT);
    String side = n.startsWith("left") || n.startsWith("l_") ? "left_" : n.startsWith("right") || n.startsWith("r_") ? "right_" : "";
    if (has(n, "thumb", "index", "middle", "ring", "little", "pinky", "finger", "hand_")) {
      return side + "hand";
    }
    if (has(n, "hip", "knee", "ankle", "leg")) {
      return side + "leg";
    }
    if (has(n, "shoulder", "elbow", "wrist", "arm")) {
      return side + "arm";
    }
    if (has(n, "waist", "torso", "spine")) {
      return "waist";
    }
    if (has(n, "neck", "head")) {
      return "neck";
    }
    return side.isEmpty() ? "other" : side + "other";
  }

  private static boolean has(String n, String... parts) {
    for (String p : parts) {
      if (n.contains(p)) {
        return true;
      }
    }
    return false;
  }
}
