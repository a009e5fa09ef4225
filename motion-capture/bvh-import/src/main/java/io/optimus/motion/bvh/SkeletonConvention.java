package io.optimus.motion.bvh;

import java.util.EnumMap;
import java.util.Map;

/** Joint naming conventions of common mocap exports, each with its keypoint-to-joint names. */
public enum SkeletonConvention {
  /** CMU's MotionBuilder-friendly release (Hips, LeftUpLeg, LeftArm, LeftForeArm, ...). */
  CMU_MOTIONBUILDER(names("Hips", "LeftUpLeg", "RightUpLeg", "LeftLeg", "RightLeg", "LeftFoot", "RightFoot",
      "LeftArm", "RightArm", "LeftForeArm", "RightForeArm", "LeftHand", "RightHand", "Head")),
  /** CMU's 3dsMax-friendly release (Hips, LeftHip, LeftKnee, LeftShoulder, LeftElbow, ...). */
  MAX_3DS(names("Hips", "LeftHip", "RightHip", "LeftKnee", "RightKnee", "LeftAnkle", "RightAnkle",
      "LeftShoulder", "RightShoulder", "LeftElbow", "RightElbow", "LeftWrist", "RightWrist", "Head")),
  /** Reallusion iClone / Character Creator CC_Base rig. */
  ICLONE_CC_BASE(names("CC_Base_Hip", "CC_Base_L_Thigh", "CC_Base_R_Thigh", "CC_Base_L_Calf", "CC_Base_R_Calf",
      "CC_Base_L_Foot", "CC_Base_R_Foot", "CC_Base_L_Upperarm", "CC_Base_R_Upperarm", "CC_Base_L_Forearm",
      "CC_Base_R_Forearm", "CC_Base_L_Hand", "CC_Base_R_Hand", "CC_Base_Head"));

  private final Map<Keypoint, String> joints;

  SkeletonConvention(Map<Keypoint, String> joints) {
    this.joints = joints;
  }

  /** Keypoint to joint name for this convention. */
  public Map<Keypoint, String> joints() {
    return joints;
  }

  /** Names in the order pelvis, hips (L, R), knees, ankles, shoulders, elbows, wrists, head. */
  private static Map<Keypoint, String> names(String... n) {
    Keypoint[] order = {Keypoint.PELVIS, Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP, Keypoint.LEFT_KNEE,
        Keypoint.RIGHT_KNEE, Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE, Keypoint.LEFT_SHOULDER,
        Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW, Keypoint.LEFT_WRIST,
        Keypoint.RIGHT_WRIST, Keypoint.HEAD};
    Map<Keypoint, String> m = new EnumMap<>(Keypoint.class);
    for (int i = 0; i < order.length; i++) {
      m.put(order[i], n[i]);
    }
    return Map.copyOf(m);
  }
}
