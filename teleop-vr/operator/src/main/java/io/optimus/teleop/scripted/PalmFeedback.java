package io.optimus.teleop.scripted;

import io.optimus.motion.model.RobotRig;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.JointState;
import java.util.function.Supplier;

/**
 * Where the robot's palms really are, seen the way the operator sees its hands in the video: forward
 * kinematics of the robot's latest measured joint state from the base pose the robot reports with it
 * (on its stand in the physics world; standing on its feet otherwise), or standing when the state has
 * none. Null when no state arrived or it does not fit the model. Recomputed at most once per state message.
 */
@FunctionalInterface
public interface PalmFeedback {
  /** The palm of hand 0 (left) or 1 (right) in the robot base frame, or null when unknown. */
  Vec3 palm(int hand);

  static PalmFeedback none() {
    return h -> null;
  }

  /** From the robot's JointState stream, with the robot's kinematic rig. */
  static PalmFeedback fromStates(RobotRig rig, Supplier<JointState> states) {
    KinematicsData d = rig.kinematics().newData();
    double[] q = new double[rig.dof()];
    JointState[] seen = {null};
    Vec3[] palms = new Vec3[2];
    return h -> {
      JointState s = states.get();
      if (s == null || s.getPositionCount() != q.length) {
        return null;
      }
      if (s != seen[0]) {
        for (int i = 0; i < q.length; i++) {
          q[i] = s.getPosition(i);
        }
        d.setQ(q);
        var b = s.getBasePose();
        if (s.hasBasePose() && Double.isFinite(b.getPosition().getX() + b.getPosition().getY() + b.getPosition().getZ())) {
          d.setBasePose(new Pose3(new Vec3(b.getPosition().getX(), b.getPosition().getY(), b.getPosition().getZ()), Quat.IDENTITY));
          rig.kinematics().forward(d);
        } else {
          rig.forwardStanding(d);
        }
        int[] links = {rig.left().palmLink(), rig.right().palmLink()};
        for (int k = 0; k < 2; k++) {
          int l = links[k];
          palms[k] = l < 0 ? null : new Vec3(d.linkPosition[3 * l], d.linkPosition[3 * l + 1], d.linkPosition[3 * l + 2]);
        }
        seen[0] = s;
      }
      return palms[h];
    };
  }
}
