package io.optimus.bridge.physics;

/**
 * Two bodies began to touch (reported once per onset, not every step while they stay in contact).
 * {@code a}/{@code b} are link or object names ("table", "floor" for the scene); {@code depth} is the
 * penetration (m, >= 0) when first seen. Robot-table and robot-self contacts are what the safety
 * supervisor consumes ({@link #robotContact()}).
 */
public record ContactEvent(long timeNs, Kind kind, String a, String b, double depth) {
  public enum Kind { ROBOT_SELF, ROBOT_TABLE, ROBOT_FLOOR, ROBOT_OBJECT, OBJECT_TABLE, OBJECT_FLOOR, OBJECT_OBJECT }

  /** True for the contacts a supervisor should see: the robot hitting the table, the floor or itself. */
  public boolean robotContact() {
    return kind == Kind.ROBOT_SELF || kind == Kind.ROBOT_TABLE || kind == Kind.ROBOT_FLOOR;
  }
}
