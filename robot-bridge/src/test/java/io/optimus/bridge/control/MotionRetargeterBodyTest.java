package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.BodyTargets;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorJoint;
import io.optimus.motion.retarget.SyntheticOperator;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodySkeleton;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.api.Test;

/** The bridge's retargeter reads the frame's body skeleton (schema 2) into body tasks. */
class MotionRetargeterBodyTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  /** The synthetic operator's body as the wire carries it, with the elbows lifted out sideways. */
  static BodySkeleton skeleton(double confidence, boolean wings) {
    BodyTargets b = SyntheticOperator.body(0, OperatorBody.DEFAULT, confidence, new BodyTargets());
    BodySkeleton.Builder s = BodySkeleton.newBuilder().setActive(true).setSource("test");
    for (OperatorJoint j : OperatorJoint.values()) {
      double x = b.position(j, 0), y = b.position(j, 1), z = b.position(j, 2);
      if (wings && (j == OperatorJoint.LEFT_ELBOW || j == OperatorJoint.RIGHT_ELBOW)) {
        y += (j == OperatorJoint.LEFT_ELBOW ? 1 : -1) * 0.12;
        z += 0.12;
      }
      s.addJoints(BodyJoint.newBuilder().setConfidence((float) confidence).setOrientationValid(false)
          .setPose(Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
              .setOrientation(Quaternion.newBuilder().setW(1))));
    }
    return s.build();
  }

  static double[] run(MotionRetargeter r, OperatorFrame f, int ticks) {
    double[] q = RIG.home();
    double[] out = new double[q.length];
    for (int i = 0; i < ticks; i++) {
      r.retarget(f, 0.01, q, out);
      System.arraycopy(out, 0, q, 0, q.length);
    }
    return q;
  }

  static double elbowHeight(double[] q) {
    Kinematics kin = new Kinematics(RIG.model());
    KinematicsData d = kin.newData();
    System.arraycopy(q, 0, d.q, 0, q.length);
    kin.forward(d);
    return d.linkPose("left_forearm").translation().z();
  }

  @Test
  void bodyElbowsLiftTheRobotsElbows() {
    OperatorFrame plain = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    OperatorFrame withBody = plain.toBuilder().setSchemaVersion(2).setBody(skeleton(1, true)).build();
    double without = elbowHeight(run(new MotionRetargeter(RIG.model(), RIG.home()), plain, 250));
    double with = elbowHeight(run(new MotionRetargeter(RIG.model(), RIG.home()), withBody, 250));
    assertTrue(with - without > 0.015, "elbow height with the body " + with + " m, without " + without + " m");
  }

  @Test
  void anInactiveOrMalformedSkeletonIsNoBody() {
    OperatorFrame plain = SyntheticOperator.frame(1, 0, OperatorBody.DEFAULT, false);
    double[] reference = run(new MotionRetargeter(RIG.model(), RIG.home()), plain, 50);
    BodySkeleton inactive = skeleton(1, true).toBuilder().setActive(false).build();
    BodySkeleton short15 = skeleton(1, true).toBuilder().removeJoints(15).build();
    BodySkeleton untracked = skeleton(0, true);
    for (BodySkeleton s : new BodySkeleton[] {inactive, short15, untracked}) {
      MotionRetargeter r = new MotionRetargeter(RIG.model(), RIG.home());
      assertArrayEquals(reference, run(r, plain.toBuilder().setSchemaVersion(2).setBody(s).build(), 50), 0.0);
      assertFalse(r.body().any());
    }
  }

  @Test
  void conversionKeepsTheJointOrderAndRefusesNaN() {
    BodySkeleton s = skeleton(0.7, false);
    BodySkeleton bad = s.toBuilder().setJoints(5, s.getJoints(5).toBuilder()
        .setPose(s.getJoints(5).getPose().toBuilder().setPosition(Vector3.newBuilder().setX(Double.NaN)))).build();
    BodyTargets t = new BodyTargets();
    assertTrue(BodySkeletonTargets.convert(bad, t));
    assertEquals(0, t.confidence(OperatorJoint.LEFT_ELBOW), "NaN joint untracked");
    assertEquals(0.7, t.confidence(OperatorJoint.RIGHT_KNEE), 1e-6);
    assertEquals(s.getJoints(14).getPose().getPosition().getZ(), t.position(OperatorJoint.RIGHT_KNEE, 2), 0);
  }
}
