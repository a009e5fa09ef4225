package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.motion.testing.SharedRobots;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.HandSkeleton;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandRetargeterTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");
  private static final Kinematics KIN = new Kinematics(OPTIMUS);

  private static double dist(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  /**
   * A "human" whose hand is the robot's own hand at random joint angles, 15% larger: keypoint-vector
   * retargeting must put every robot fingertip where the scaled human one is (within 8 mm), from
   * the open hand, in a few frames.
   */
  @Test
  void recoversFingertipsOfAReachableHandPose() {
    for (HandSide side : HandSide.values()) {
      HandRetargeter h = new HandRetargeter(KIN, side);
      assertTrue(h.present());
      Random r = new Random(side.ordinal() + 3);
      double worst = 0;
      for (int trial = 0; trial < 10; trial++) {
        double[] truth = new double[OPTIMUS.dof()];
        for (Joint j : OPTIMUS.dofJoints()) {
          if (j.group().equals(side.prefix() + "_hand") && !j.isMimic()) {
            truth[j.qIndex()] = j.limits().lower() + r.nextDouble() * 0.7 * (j.limits().upper() - j.limits().lower());
          }
        }
        OPTIMUS.normalize(truth);
        if (closestPinch(h, truth) * 1.15 < HandRetargeter.PINCH_DISTANCE + 0.005) {
          trial--; // a closed pinch is deliberately over-closed, not reproduced: draw again
          continue;
        }
        HandSkeleton skel = skeletonFromRobot(h, side, truth, 1.15);
        double[] q = new double[OPTIMUS.dof()];
        for (int frame = 0; frame < 15; frame++) {
          assertTrue(h.retarget(skel, q));
        }
        for (int f = 0; f < 5; f++) {
          double e = dist(h.fingertipInPalm(truth, f), h.fingertipInPalm(q, f));
          worst = Math.max(worst, e);
          assertTrue(e < 0.008, side + " trial " + trial + " finger " + f + " tip error " + e);
        }
        for (Joint j : OPTIMUS.dofJoints()) {
          double x = q[j.qIndex()];
          assertTrue(x >= j.limits().lower() - 1e-9 && x <= j.limits().upper() + 1e-9, j.name());
        }
      }
      System.out.printf("%s hand: worst fingertip error %.1f mm%n", side, worst * 1000);
    }
  }

  private static double closestPinch(HandRetargeter h, double[] q) {
    double m = Double.POSITIVE_INFINITY;
    for (int f = 1; f < 5; f++) {
      m = Math.min(m, dist(h.fingertipInPalm(q, 0), h.fingertipInPalm(q, f)));
    }
    return m;
  }

  /**
   * Builds a skeleton whose palm-frame tip vectors are the robot's times {@code scale}, placed at a
   * random palm pose. The middle-finger chain (which sets the retargeter's human/robot scale) is laid
   * out to measure exactly {@code scale} times the robot's straight finger.
   */
  private static HandSkeleton skeletonFromRobot(HandRetargeter h, HandSide side, double[] q, double scale) {
    Vec3[] p = SyntheticOperator.handPoints(side, 0, 0, 1);
    int[] tips = {5, 10, 15, 20, 25};
    for (int f = 0; f < 5; f++) {
      double[] v = h.fingertipInPalm(q, f);
      p[tips[f]] = new Vec3(v[0], v[1], v[2]).times(scale);
    }
    Vec3 tip = p[15];
    double chain = h.robotHandLength() * scale;
    double half = tip.norm() / 2;
    double rise = Math.sqrt(Math.max(0, chain * chain / 4 - half * half));
    Vec3 normal = tip.cross(Vec3.UNIT_Y).normalized();
    p[12] = tip.times(0.5).plus(normal.times(rise));
    p[13] = tip;
    p[14] = tip;
    Pose3 palm = new Pose3(new Vec3(0.3, 0.2, 1.1), Quat.fromRpy(0.3, -0.4, 1.0));
    Quat jointRot = SyntheticOperator.jointFromPalm(palm.rotation());
    HandSkeleton.Builder b = HandSkeleton.newBuilder().setActive(true);
    for (Vec3 local : p) {
      b.addJoints(HandJoint.newBuilder().setPose(Pose3Proto.toProto(new Pose3(palm.transform(local), jointRot)))
          .setPositionValid(true).setOrientationValid(true));
    }
    return b.build();
  }

  @Test
  void aClosedHumanPinchClosesTheRobotPinch() {
    HandRetargeter h = new HandRetargeter(KIN, HandSide.RIGHT);
    Pose3 palm = new Pose3(new Vec3(0.4, -0.2, 1.0), Quat.fromRpy(0, 0.5, 0));
    double[] q = new double[OPTIMUS.dof()];
    HandSkeleton open = SyntheticOperator.hand(HandSide.RIGHT, palm, 0, 0, 1);
    HandSkeleton pinch = SyntheticOperator.hand(HandSide.RIGHT, palm, 0.35, 1, 1);
    for (int i = 0; i < 10; i++) {
      h.retarget(open, q);
    }
    double openGap = dist(h.fingertipInPalm(q, 0), h.fingertipInPalm(q, 1));
    for (int i = 0; i < 20; i++) {
      h.retarget(pinch, q);
    }
    double pinchGap = dist(h.fingertipInPalm(q, 0), h.fingertipInPalm(q, 1));
    System.out.printf("thumb-index gap: open %.1f mm, pinched %.1f mm%n", openGap * 1000, pinchGap * 1000);
    assertTrue(pinchGap < 0.025, "pinch gap " + pinchGap);
    assertTrue(openGap > 0.05, "open gap " + openGap);
  }

  @Test
  void triggerClosesTheHandAndSqueezeTheDeadmanLeavesItOpen() {
    HandRetargeter h = new HandRetargeter(KIN, HandSide.LEFT);
    double[] q = new double[OPTIMUS.dof()];
    int index = OPTIMUS.qIndex("left_index_pip_joint");
    int middle = OPTIMUS.qIndex("left_middle_pip_joint");
    h.retargetController(1, 0, q);
    assertTrue(q[index] > 1.2, "index closed: " + q[index]);
    assertTrue(q[middle] > 1.2, "middle closed: " + q[middle]);
    assertEquals(0.8 * q[index], q[OPTIMUS.qIndex("left_index_dip_joint")], 1e-12, "mimic follows");
    h.retargetController(0, 1, q); // deadman held, trigger released: the hand opens
    assertEquals(0, q[index], 1e-12);
    assertEquals(0, q[middle], 1e-12);
    h.retargetController(7, Double.NaN, q); // garbage: clamped to 1, squeeze ignored
    assertTrue(q[middle] > 1.2 && q[middle] <= OPTIMUS.joint("left_middle_pip_joint").orElseThrow().limits().upper());
    h.retargetController(Double.NaN, 1, q); // NaN trigger: treated as 0
    assertEquals(0, q[index], 1e-12);
  }

  @Test
  void invalidSkeletonsLeaveTheFingersAlone() {
    HandRetargeter h = new HandRetargeter(KIN, HandSide.LEFT);
    double[] q = new double[OPTIMUS.dof()];
    q[OPTIMUS.qIndex("left_index_mcp_joint")] = 0.5;
    double[] before = q.clone();
    HandSkeleton good = SyntheticOperator.hand(HandSide.LEFT, Pose3.IDENTITY, 0.5, 0, 1);
    HandSkeleton nan = good.toBuilder().setJoints(10, good.getJoints(10).toBuilder()
        .setPose(good.getJoints(10).getPose().toBuilder().setPosition(
            good.getJoints(10).getPose().getPosition().toBuilder().setX(Double.NaN)))).build();
    assertFalse(h.retarget(nan, q));
    assertFalse(h.retarget(good.toBuilder().setActive(false).build(), q));
    assertFalse(h.retarget(good.toBuilder().removeJoints(3).build(), q));
    assertArrayEquals(before, q);
  }

  @Test
  void robotsWithoutHandsAreLeftAlone() {
    RobotModel g1 = UrdfLoader.load(SharedRobots.g1());
    HandRetargeter h = new HandRetargeter(new Kinematics(g1), HandSide.LEFT);
    assertFalse(h.present());
    double[] q = new double[g1.dof()];
    assertFalse(h.retarget(SyntheticOperator.hand(HandSide.LEFT, Pose3.IDENTITY, 0.5, 0, 1), q));
    h.retargetController(1, 1, q);
    assertArrayEquals(new double[g1.dof()], q);
  }
}
