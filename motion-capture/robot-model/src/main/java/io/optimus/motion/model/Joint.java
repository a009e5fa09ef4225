package io.optimus.motion.model;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Vec3;

/**
 * One joint of the tree. {@code origin} is the joint frame in the parent link at q = 0; the joint
 * moves its child about/along the unit {@code axis} given in the joint (= child link) frame.
 * {@code qIndex} is the joint's index in q (-1 for fixed joints); {@code mimic} is null unless the
 * joint follows another (already resolved to an independent source joint).
 */
public record Joint(String name, JointType type, String parent, String child, Pose3 origin, Vec3 axis,
    JointLimits limits, Mimic mimic, String group, int qIndex) {

  public boolean isMimic() {
    return mimic != null;
  }
}
