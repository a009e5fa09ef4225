package io.optimus.motion.bvh;

import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.RobotProfile;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which robot link stands for each human {@link Keypoint}. A keypoint is a joint centre, so it maps to
 * the child link of the matching robot joint (whose origin is that joint): hip = the last hip joint
 * (where the hip axes meet), knee, ankle = first ankle joint, shoulder = first shoulder joint, elbow,
 * wrist = first wrist joint (the palm link for arms without one), head = the profile's head link,
 * pelvis = the root. Found by joint name and body group, for the shipped optimus and Unitree-style URDFs.
 */
public final class RobotKeypoints {
  private final Map<Keypoint, String> links;

  private RobotKeypoints(Map<Keypoint, String> links) {
    this.links = Map.copyOf(links);
  }

  public String link(Keypoint k) {
    return links.get(k);
  }

  public Map<Keypoint, String> links() {
    return links;
  }

  public static RobotKeypoints detect(RobotModel model, RobotProfile profile) {
    Map<Keypoint, String> m = new EnumMap<>(Keypoint.class);
    m.put(Keypoint.PELVIS, model.root().name());
    m.put(Keypoint.HEAD, profile.head());
    for (String side : List.of("left", "right")) {
      boolean left = side.equals("left");
      m.put(left ? Keypoint.LEFT_HIP : Keypoint.RIGHT_HIP, last(model, side + "_leg", n -> n.contains("hip")));
      m.put(left ? Keypoint.LEFT_KNEE : Keypoint.RIGHT_KNEE, first(model, side + "_leg", n -> n.contains("knee")));
      m.put(left ? Keypoint.LEFT_ANKLE : Keypoint.RIGHT_ANKLE, first(model, side + "_leg", n -> n.contains("ankle")));
      m.put(left ? Keypoint.LEFT_SHOULDER : Keypoint.RIGHT_SHOULDER,
          first(model, side + "_arm", n -> n.contains("shoulder")));
      m.put(left ? Keypoint.LEFT_ELBOW : Keypoint.RIGHT_ELBOW, first(model, side + "_arm", n -> n.contains("elbow")));
      String wrist = firstOrNull(model, side + "_arm", n -> n.contains("wrist"));
      m.put(left ? Keypoint.LEFT_WRIST : Keypoint.RIGHT_WRIST,
          wrist != null ? wrist : (left ? profile.leftPalm() : profile.rightPalm()));
    }
    return new RobotKeypoints(m);
  }

  private static String first(RobotModel model, String group, Predicate<String> name) {
    String link = firstOrNull(model, group, name);
    if (link == null) {
      throw new IllegalArgumentException(model.name() + ": no " + group + " joint for a keypoint");
    }
    return link;
  }

  private static String firstOrNull(RobotModel model, String group, Predicate<String> name) {
    for (Joint j : model.dofJoints()) {
      if (j.group().equals(group) && name.test(j.name().toLowerCase(Locale.ROOT))) {
        return j.child();
      }
    }
    return null;
  }

  private static String last(RobotModel model, String group, Predicate<String> name) {
    String found = null;
    for (Joint j : model.dofJoints()) {
      if (j.group().equals(group) && name.test(j.name().toLowerCase(Locale.ROOT))) {
        found = j.child();
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(model.name() + ": no " + group + " hip joint");
    }
    return found;
  }
}
