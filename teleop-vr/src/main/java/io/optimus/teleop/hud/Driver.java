package io.optimus.teleop.hud;

import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.JointState;

/**
 * Who moves the robot, as the HUD shows it: the operator (nothing shown: the usual case), another source
 * such as a deployed policy ({@code AUTO command}: the right-stick click takes over), or the operator after
 * taking over from one ({@code TAKEN OVER}: the click hands back). From the bridge's state (its action source,
 * every tick) and status ({@code taken_over}).
 *
 * @param source the bridge's action source ("teleop", "command", "policy:NAME", "replay:..."; empty: unknown)
 * @param takenOver the operator has taken over from that source
 */
public record Driver(String source, boolean takenOver) {
  public static final Driver OPERATOR = new Driver("teleop", false);

  public Driver {
    source = source == null ? "" : source;
  }

  /** The driver {@code status} and {@code state} report (either may be null: not received yet). */
  public static Driver of(BridgeStatus status, JointState state) {
    boolean taken = status != null && status.getTakenOver();
    String source = state != null && !state.getActionSource().isEmpty() ? state.getActionSource()
        : status != null ? status.getActionSource() : "";
    return new Driver(source, taken);
  }

  /** Something other than the operator drives (and the operator has not taken over). */
  public boolean autonomous() {
    return !takenOver && !source.isEmpty() && !source.equals("teleop");
  }

  /** The HUD's label: empty while the operator simply drives. */
  public String label() {
    return takenOver ? "TAKEN OVER" : autonomous() ? "AUTO " + source : "";
  }
}
