package io.optimus.motion.bvh;

import java.util.Locale;

/** One animated degree of freedom of a BVH joint, spelled as in the file ({@code Zrotation}). */
public enum BvhChannel {
  XPOSITION(0, false), YPOSITION(1, false), ZPOSITION(2, false),
  XROTATION(0, true), YROTATION(1, true), ZROTATION(2, true);

  private final int axis;
  private final boolean rotation;

  BvhChannel(int axis, boolean rotation) {
    this.axis = axis;
    this.rotation = rotation;
  }

  /** 0 for x, 1 for y, 2 for z. */
  public int axis() {
    return axis;
  }

  public boolean isRotation() {
    return rotation;
  }

  /** The spelling BVH files use, e.g. {@code Xposition}. */
  public String bvhName() {
    String n = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** The channel a token names (case-insensitive), or null when it names none. */
  public static BvhChannel parse(String token) {
    for (BvhChannel c : values()) {
      if (c.name().equalsIgnoreCase(token)) {
        return c;
      }
    }
    return null;
  }
}
