package io.optimus.bridge.control;

import io.optimus.motion.retarget.BodyTargets;
import io.optimus.motion.retarget.OperatorJoint;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.Pose;

/**
 * The wire's {@link BodySkeleton} (16 joints in BodyJointId order) into the retargeter's
 * {@link BodyTargets}, in place, without allocating. A skeleton that is inactive or has another
 * joint count gives no body (every confidence 0): the operator validator refuses such frames
 * upstream, this only makes sure nothing half-read reaches the IK.
 */
public final class BodySkeletonTargets {
  private BodySkeletonTargets() {}

  /** Fills {@code out} from {@code body}; returns whether any joint is tracked. */
  public static boolean convert(BodySkeleton body, BodyTargets out) {
    out.clear();
    if (!body.getActive() || body.getJointsCount() != OperatorJoint.COUNT) {
      return false;
    }
    for (int j = 0; j < OperatorJoint.COUNT; j++) {
      BodyJoint b = body.getJoints(j);
      Pose p = b.getPose();
      out.set(OperatorJoint.of(j), p.getPosition().getX(), p.getPosition().getY(), p.getPosition().getZ(),
          p.getOrientation().getW(), p.getOrientation().getX(), p.getOrientation().getY(), p.getOrientation().getZ(),
          b.getConfidence(), b.getOrientationValid());
    }
    return out.any();
  }
}
