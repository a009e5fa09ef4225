package io.optimus.motion.bvh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HIERARCHY part of a BVH file: joints in declaration order (every parent before its children). */
public final class BvhSkeleton {
  private final List<BvhJoint> joints;
  private final Map<String, BvhJoint> byName;
  private final int channelCount;

  public BvhSkeleton(List<BvhJoint> joints) {
    this.joints = List.copyOf(joints);
    Map<String, BvhJoint> names = new HashMap<>();
    int channels = 0;
    for (BvhJoint j : this.joints) {
      names.putIfAbsent(j.name(), j);
      channels += j.channels().size();
    }
    this.byName = Collections.unmodifiableMap(names);
    this.channelCount = channels;
  }

  public List<BvhJoint> joints() {
    return joints;
  }

  public int jointCount() {
    return joints.size();
  }

  /** Values per frame of MOTION data. */
  public int channelCount() {
    return channelCount;
  }

  public BvhJoint root() {
    return joints.get(0);
  }

  public Optional<BvhJoint> joint(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The first joint whose name equals {@code name} ignoring case. */
  public Optional<BvhJoint> jointIgnoreCase(String name) {
    BvhJoint exact = byName.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (BvhJoint j : joints) {
      if (j.name().equalsIgnoreCase(name)) {
        return Optional.of(j);
      }
    }
    return Optional.empty();
  }

  public List<BvhJoint> children(BvhJoint joint) {
    List<BvhJoint> out = new ArrayList<>();
    for (BvhJoint j : joints) {
      if (j.parent() == joint.index()) {
        out.add(j);
      }
    }
    return out;
  }
}
