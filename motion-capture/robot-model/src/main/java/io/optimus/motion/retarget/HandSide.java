package io.optimus.motion.retarget;

/** Which hand or arm. */
public enum HandSide {
  LEFT("left"),
  RIGHT("right");

  /** Both sides, shared: {@code values()} clones its array on every call, which per-tick loops must not. */
  static final HandSide[] BOTH = values();

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
