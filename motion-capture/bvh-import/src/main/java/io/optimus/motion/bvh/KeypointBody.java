package io.optimus.motion.bvh;

import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;

/**
 * A mocap skeleton as the operator's body ({@code OperatorFrame.body}, schema 2): the one mapping from
 * {@link Keypoint}s to {@link BodyJointId}s, used by BVH files ({@code bvh:FILE},
 * {@link MocapOperatorSource}) and live streams ({@code mocap-stream}) alike. Positions are the keypoints'
 * (operator frame: metres, z up, facing +x at the first frame, floor at z = 0); orientations are relative
 * to the first frame (BVH rest poses differ between rigs). Every mapped joint has confidence 1; spine and
 * neck, which the keypoints lack, are sent at confidence 0.
 */
public final class KeypointBody {
  /** {@code BodySkeleton.source} of mocap bodies. */
  public static final String SOURCE = "mocap";
  /** The OperatorFrame schema version of frames that carry a body. */
  public static final int FRAME_SCHEMA_VERSION = 2;
  /** The keypoint of each BodyJointId (index = enum value); null where the keypoints have none. */
  private static final Keypoint[] JOINTS = {
      Keypoint.PELVIS, null /* spine */, null /* neck */, Keypoint.HEAD,
      Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST,
      Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST,
      Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE,
      Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE};
  private static final BodyJoint ABSENT = BodyJoint.newBuilder()
      .setPose(Pose.newBuilder().setOrientation(Quaternion.newBuilder().setW(1))).build();

  static {
    if (JOINTS.length != BodyJointId.values().length - 1) { // the enum's UNRECOGNIZED is not a joint
      throw new AssertionError("KeypointBody maps " + JOINTS.length + " joints, BodyJointId has "
          + (BodyJointId.values().length - 1));
    }
  }

  private KeypointBody() {}

  /** The keypoint sent as {@code joint}, or null when the keypoints have none (sent at confidence 0). */
  public static Keypoint keypoint(BodyJointId joint) {
    return JOINTS[joint.getNumber()];
  }

  /** The body at clip time {@code t} seconds. */
  public static BodySkeleton at(KeypointMotion motion, double t) {
    double[] positions = new double[KeypointMotion.K * 3];
    motion.samplePositions(t, positions);
    return of(motion, t, positions);
  }

  /** The body at clip time {@code t}, with the keypoint positions already sampled there ({@link KeypointMotion#samplePositions}). */
  public static BodySkeleton of(KeypointMotion motion, double t, double[] positions) {
    double[] q = new double[4];
    BodySkeleton.Builder b = BodySkeleton.newBuilder().setActive(true).setSource(SOURCE);
    for (Keypoint k : JOINTS) {
      b.addJoints(k == null ? ABSENT : BodyJoint.newBuilder().setPose(pose(motion, t, k, positions, q))
          .setConfidence(1f).setOrientationValid(true).build());
    }
    return b.build();
  }

  /** Keypoint {@code k}'s pose at {@code t}: its sampled position, its orientation relative to the first frame. */
  public static Pose pose(KeypointMotion motion, double t, Keypoint k, double[] positions, double[] q) {
    int i = k.ordinal() * 3;
    motion.sampleOrientation(t, k, q);
    return Pose.newBuilder()
        .setPosition(Vector3.newBuilder().setX(positions[i]).setY(positions[i + 1]).setZ(positions[i + 2]))
        .setOrientation(Quaternion.newBuilder().setW(q[0]).setX(q[1]).setY(q[2]).setZ(q[3])).build();
  }
}
