package io.optimus.motion.retarget;

/** Which hand or arm. */
public enum HandSide {
  LEFT("left"),
  RIGHT("right");

  private final String prefix;

  HandSide(String prefix) {
    this.prefix = prefix;
  }

  /** "left" or "right", the link and group name prefix. */
  public String prefix() {
    return prefix;
  }

  /** +1 for left, -1 for right: the sign of y on this side of the body. */
  public double sign() {
    return this == LEFT ? 1 : -1;
  }
}
