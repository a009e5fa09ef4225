package io.optimus.motion.bvh;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.BodyLinks;
import io.optimus.motion.retarget.OperatorJoint;
import io.optimus.motion.retarget.RobotProfile;
import java.util.EnumMap;
import java.util.Map;

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

  /** The same joint-centre links the live retargeter's {@link BodyLinks} finds; every keypoint must have one. */
  public static RobotKeypoints detect(RobotModel model, RobotProfile profile) {
    BodyLinks body = BodyLinks.detect(model, profile);
    Map<Keypoint, String> m = new EnumMap<>(Keypoint.class);
    for (Keypoint k : Keypoint.values()) {
      String link = body.link(OperatorJoint.valueOf(k.name()));
      if (link == null) {
        throw new IllegalArgumentException(model.name() + ": no robot joint for the keypoint " + k.key());
      }
      m.put(k, link);
    }
    return new RobotKeypoints(m);
  }
}
