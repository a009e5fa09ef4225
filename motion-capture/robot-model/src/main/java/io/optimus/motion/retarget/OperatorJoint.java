package io.optimus.motion.retarget;

import java.util.Locale;

/**
 * The operator's tracked body joints, in the wire's {@code BodyJointId} order (ordinal = enum value),
 * kept here without the proto so that offline sources (mocap) fill {@link BodyTargets} directly.
 */
public enum OperatorJoint {
  PELVIS, SPINE, NECK, HEAD,
  LEFT_SHOULDER, LEFT_ELBOW, LEFT_WRIST,
  RIGHT_SHOULDER, RIGHT_ELBOW, RIGHT_WRIST,
  LEFT_HIP, LEFT_KNEE, LEFT_ANKLE,
  RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE;

  public static final int COUNT = 16;
  private static final OperatorJoint[] ALL = values();

  public static OperatorJoint of(int ordinal) {
    return ALL[ordinal];
  }

  /** Lower-case name for logs and reports, e.g. {@code left_elbow}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
