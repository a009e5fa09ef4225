package io.optimus.bridge.control;

/** Why the bridge refused an operator frame; {@link #label} names it in logs and BridgeStatus. */
public enum FrameDrop {
  /** Failed {@link OperatorFrameValidator#problem} (NaN, out of range, no session id, ...). */
  INVALID("invalid"),
  /** capture_time far from the bridge's clock, or jumping against it within a session. */
  TIMESTAMP("timestamp"),
  /** Sequence not above the session's last one (reordered or repeated). */
  STALE("stale"),
  /** Sequence too far above the session's last one (an absurd jump would lock the operator out). */
  SEQUENCE_JUMP("sequence-jump"),
  /** Another operator session owns the robot. */
  FOREIGN_SESSION("foreign-session");

  private final String label;

  FrameDrop(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
