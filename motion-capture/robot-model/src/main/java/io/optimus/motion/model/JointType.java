package io.optimus.motion.model;

/** URDF joint types the kinematics handles; a floating joint only ever attaches the root (see RobotModel). */
public enum JointType {
  REVOLUTE("revolute"),
  CONTINUOUS("continuous"),
  PRISMATIC("prismatic"),
  FIXED("fixed");

  private final String urdfName;

  JointType(String urdfName) {
    this.urdfName = urdfName;
  }

  public String urdfName() {
    return urdfName;
  }

  /** True for joints that carry a coordinate in q. */
  public boolean moves() {
    return this != FIXED;
  }

  /** True for joints whose coordinate is an angle. */
  public boolean rotates() {
    return this == REVOLUTE || this == CONTINUOUS;
  }

  public io.optimus.proto.v1.JointType toProto() {
    return switch (this) {
      case REVOLUTE -> io.optimus.proto.v1.JointType.JOINT_TYPE_REVOLUTE;
      case CONTINUOUS -> io.optimus.proto.v1.JointType.JOINT_TYPE_CONTINUOUS;
      case PRISMATIC -> io.optimus.proto.v1.JointType.JOINT_TYPE_PRISMATIC;
      case FIXED -> io.optimus.proto.v1.JointType.JOINT_TYPE_FIXED;
    };
  }
}
