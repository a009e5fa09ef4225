package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.api.Test;

/** The operator sees the palms where the robot's reported base puts them, and standing when no base is reported. */
class PalmFeedbackTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void palmsFollowTheReportedBaseAndStandingWithoutOne() {
    double[] q = RIG.home();
    for (String name : new String[] {"left_knee_joint", "right_knee_joint"}) {
      int knee = RIG.model().qIndex(name);
      var lim = RIG.model().dofJoints().stream().filter(j -> j.qIndex() == knee).findFirst().orElseThrow().limits();
      q[knee] += Math.abs(lim.upper()) > Math.abs(lim.lower()) ? 0.6 : -0.6;
    }
    JointState.Builder noBase = JointState.newBuilder();
    for (double v : q) {
      noBase.addPosition(v);
    }
    double[] stand = RIG.standBase();
    JointState onStand = noBase.clone().setBasePose(Pose.newBuilder()
        .setPosition(Vector3.newBuilder().setX(stand[0]).setY(stand[1]).setZ(stand[2]))
        .setOrientation(Quaternion.newBuilder().setW(1))).build();

    KinematicsData d = RIG.kinematics().newData();
    d.setQ(q);
    RIG.forwardOnStand(d);
    int palm = RIG.right().palmLink();
    Vec3 seen = PalmFeedback.fromStates(RIG, () -> onStand).palm(1);
    assertEquals(d.linkPosition[3 * palm], seen.x(), 1e-9);
    assertEquals(d.linkPosition[3 * palm + 2], seen.z(), 1e-9);

    RIG.forwardStanding(d);
    Vec3 standing = PalmFeedback.fromStates(RIG, noBase::build).palm(1);
    assertEquals(d.linkPosition[3 * palm + 2], standing.z(), 1e-9);
    assertTrue(Math.abs(standing.z() - seen.z()) > 0.005, "bent knees lower a standing robot's palm, not one on a stand");
  }
}
