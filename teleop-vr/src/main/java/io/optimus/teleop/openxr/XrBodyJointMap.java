package io.optimus.teleop.openxr;

import io.optimus.proto.v1.BodyJointId;

/**
 * Each body-tracking extension's joint set mapped to the 16 vendor-neutral {@link BodyJointId}s:
 * {@code map[id]} is the extension's joint index, or {@link #NONE} where the set lacks that joint (it is
 * then sent with confidence 0). Shoulder means the ball joint where the upper arm starts (not the
 * clavicle), spine the chest, wrist the wrist joint of the hand (not the forearm twist).
 * <pre>
 * BodyJointId      XR_FB (70)            XR_META full body (84)  XR_HTC (26)      XR_BD (24)
 * PELVIS           HIPS 1                HIPS 1                  PELVIS 0         PELVIS 0
 * SPINE            CHEST 5               CHEST 5                 CHEST 13         SPINE3 9
 * NECK             NECK 6                NECK 6                  NECK 14          NECK 12
 * HEAD             HEAD 7                HEAD 7                  HEAD 15          HEAD 15
 * LEFT_SHOULDER    LEFT_ARM_UPPER 10     LEFT_ARM_UPPER 10       LEFT_ARM 18      LEFT_SHOULDER 16
 * LEFT_ELBOW       LEFT_ARM_LOWER 11     LEFT_ARM_LOWER 11       LEFT_ELBOW 19    LEFT_ELBOW 18
 * LEFT_WRIST       LEFT_HAND_WRIST 19    LEFT_HAND_WRIST 19      LEFT_WRIST 20    LEFT_WRIST 20
 * RIGHT_SHOULDER   RIGHT_ARM_UPPER 15    RIGHT_ARM_UPPER 15      RIGHT_ARM 23     RIGHT_SHOULDER 17
 * RIGHT_ELBOW      RIGHT_ARM_LOWER 16    RIGHT_ARM_LOWER 16      RIGHT_ELBOW 24   RIGHT_ELBOW 19
 * RIGHT_WRIST      RIGHT_HAND_WRIST 45   RIGHT_HAND_WRIST 45     RIGHT_WRIST 25   RIGHT_WRIST 21
 * LEFT_HIP         -                     LEFT_UPPER_LEG 70       LEFT_HIP 1       LEFT_HIP 1
 * LEFT_KNEE        -                     LEFT_LOWER_LEG 71       LEFT_KNEE 2      LEFT_KNEE 4
 * LEFT_ANKLE       -                     LEFT_FOOT_ANKLE 73      LEFT_ANKLE 3     LEFT_ANKLE 7
 * RIGHT_HIP        -                     RIGHT_UPPER_LEG 77      RIGHT_HIP 5      RIGHT_HIP 2
 * RIGHT_KNEE       -                     RIGHT_LOWER_LEG 78      RIGHT_KNEE 6     RIGHT_KNEE 5
 * RIGHT_ANKLE      -                     RIGHT_FOOT_ANKLE 80     RIGHT_ANKLE 7    RIGHT_ANKLE 8
 * </pre>
 * XR_FB_body_tracking's default set is the upper body only: its legs are absent, not untracked.
 */
enum XrBodyJointMap {
  FB("XR_FB_body_tracking", 70, new int[] {1, 5, 6, 7, 10, 11, 19, 15, 16, 45, -1, -1, -1, -1, -1, -1}),
  META_FULL_BODY("XR_META_body_tracking_full_body", 84,
      new int[] {1, 5, 6, 7, 10, 11, 19, 15, 16, 45, 70, 71, 73, 77, 78, 80}),
  HTC("XR_HTC_body_tracking", 26, new int[] {0, 13, 14, 15, 18, 19, 20, 23, 24, 25, 1, 2, 3, 5, 6, 7}),
  BD("XR_BD_body_tracking", 24, new int[] {0, 9, 12, 15, 16, 18, 20, 17, 19, 21, 1, 4, 7, 2, 5, 8});

  /** The number of vendor-neutral joints (BodyJointId values). */
  static final int JOINTS = 16;
  static final int NONE = -1;

  /** The name sent in {@code BodySkeleton.source}: the extension whose joint set this is. */
  final String source;
  /** How many joints the extension's set has (the array a locate call fills). */
  final int count;
  private final int[] map;

  XrBodyJointMap(String source, int count, int[] map) {
    this.source = source;
    this.count = count;
    this.map = map;
  }

  /** The extension's joint index of BodyJointId value {@code id}, or {@link #NONE}. */
  int index(int id) {
    return map[id];
  }
}
