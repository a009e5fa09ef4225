package io.optimus.motion.retarget;

import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which robot link stands for each {@link OperatorJoint}. A tracked joint is a joint centre, so it
 * maps to the child link of the matching robot joint (whose origin is that joint): shoulder = the
 * first shoulder joint, elbow, wrist = the first wrist joint (the palm for arms without one), hip =
 * the last hip joint (where the hip axes meet), knee, ankle = the first ankle joint; spine = the
 * first waist joint, neck = the first neck joint, head = the profile's head, pelvis = the root.
 * Found by joint name and body group; a joint the model lacks maps to null.
 */
public final class BodyLinks {
  private final Map<OperatorJoint, String> links;

  private BodyLinks(Map<OperatorJoint, String> links) {
    this.links = links;
  }

  /** The link for a joint, or null when the model has none. */
  public String link(OperatorJoint j) {
    return links.get(j);
  }

  public static BodyLinks detect(RobotModel model, RobotProfile profile) {
    Map<OperatorJoint, String> m = new EnumMap<>(OperatorJoint.class);
    m.put(OperatorJoint.PELVIS, model.root().name());
    m.put(OperatorJoint.SPINE, child(model, "waist", n -> true, false));
    m.put(OperatorJoint.NECK, child(model, "neck", n -> true, false));
    m.put(OperatorJoint.HEAD, profile.head());
    for (HandSide s : HandSide.values()) {
      boolean left = s == HandSide.LEFT;
      String arm = s.prefix() + "_arm";
      String leg = s.prefix() + "_leg";
      m.put(left ? OperatorJoint.LEFT_SHOULDER : OperatorJoint.RIGHT_SHOULDER, child(model, arm, n -> n.contains("shoulder"), false));
      m.put(left ? OperatorJoint.LEFT_ELBOW : OperatorJoint.RIGHT_ELBOW, child(model, arm, n -> n.contains("elbow"), false));
      String wrist = child(model, arm, n -> n.contains("wrist"), false);
      m.put(left ? OperatorJoint.LEFT_WRIST : OperatorJoint.RIGHT_WRIST, wrist != null ? wrist : profile.palm(s));
      m.put(left ? OperatorJoint.LEFT_HIP : OperatorJoint.RIGHT_HIP, child(model, leg, n -> n.contains("hip"), true));
      m.put(left ? OperatorJoint.LEFT_KNEE : OperatorJoint.RIGHT_KNEE, child(model, leg, n -> n.contains("knee"), false));
      m.put(left ? OperatorJoint.LEFT_ANKLE : OperatorJoint.RIGHT_ANKLE, child(model, leg, n -> n.contains("ankle"), false));
    }
    m.values().removeIf(java.util.Objects::isNull);
    return new BodyLinks(m);
  }

  private static String child(RobotModel model, String group, Predicate<String> name, boolean last) {
    String found = null;
    for (Joint j : model.dofJoints()) {
      if (j.group().equals(group) && name.test(j.name().toLowerCase(Locale.ROOT))) {
        found = j.child();
        if (!last) {
          return found;
        }
      }
    }
    return found;
  }
}
