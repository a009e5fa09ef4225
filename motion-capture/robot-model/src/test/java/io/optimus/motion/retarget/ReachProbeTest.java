package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReachProbeTest {
  RobotModel model;
  Kinematics kin;
  RobotProfile profile;
  ReachProbe probe;
  KinematicsData stance;
  int head;
  int leftFoot;
  int rightFoot;

  @BeforeEach
  void standingOptimus() {
    model = Robots.load("optimus");
    kin = new Kinematics(model);
    profile = RobotProfile.detect(model);
    probe = new ReachProbe(kin, profile, j -> !j.group().endsWith("hand"));
    stance = kin.newData();
    stance.setQ(profile.posture());
    kin.forward(stance);
    head = model.linkIndex("head");
    leftFoot = model.linkIndex(profile.leftFoot());
    rightFoot = model.linkIndex(profile.rightFoot());
  }

  double headDistance(double dx, double dy, double dz) {
    int o = 3 * head;
    return probe.distance(stance, head, stance.linkPosition[o] + dx, stance.linkPosition[o + 1] + dy,
        stance.linkPosition[o + 2] + dz, true, true);
  }

  @Test
  void theNeutralPoseIsReachable() {
    assertTrue(headDistance(0, 0, 0) < 1e-3);
    int o = 3 * head;
    assertTrue(probe.reachable(stance, head, stance.linkPosition[o], stance.linkPosition[o + 1],
        stance.linkPosition[o + 2], true, true));
    int wrist = model.linkIndex("left_wrist_yaw_link");
    assertTrue(probe.reachable(stance, wrist, stance.linkPosition[3 * wrist], stance.linkPosition[3 * wrist + 1],
        stance.linkPosition[3 * wrist + 2], true, false));
  }

  @Test
  void aModestBendOrSquatIsReachable() {
    double lower = headDistance(0, 0, -0.20);
    double forward = headDistance(0.25, 0, -0.05);
    System.out.printf("head 20 cm lower: %.4f m; 25 cm forward: %.4f m%n", lower, forward);
    assertTrue(lower <= ReachProbe.TOLERANCE_M, "squat " + lower);
    assertTrue(forward <= ReachProbe.TOLERANCE_M, "lean " + forward);
    assertStanceKept(true, true);
  }

  @Test
  void aHeadFarBelowAnyBendIsUnreachable() {
    // The head can go no lower than a full squat with a tilted trunk; 30 cm above the floor, in
    // front of the feet, is far below that.
    int o = 3 * head;
    double floorToHead = stance.linkPosition[o + 2] - Math.min(stance.linkPosition[3 * leftFoot + 2],
        stance.linkPosition[3 * rightFoot + 2]);
    double d = headDistance(0.1, 0, -(floorToHead - 0.3));
    System.out.printf("head %.2f m lower: %.3f m short%n", floorToHead - 0.3, d);
    assertTrue(d > 0.1, "the head got within " + d + " m of a point 30 cm above the floor");
    assertFalse(probe.reachable(stance, head, stance.linkPosition[o] + 0.1, stance.linkPosition[o + 1],
        0.3 + stance.linkPosition[o + 2] - floorToHead, true, true));
    assertStanceKept(true, true);
  }

  @Test
  void aHead30cmBelowTheLowestBendIsUnreachable() {
    // the lowest reachable head 10 cm in front of standing, found by bisection over the probe
    double reachable = 0;
    double unreachable = -1.4;
    while (reachable - unreachable > 0.01) {
      double mid = (reachable + unreachable) / 2;
      if (headDistance(0.1, 0, mid) <= ReachProbe.TOLERANCE_M) {
        reachable = mid;
      } else {
        unreachable = mid;
      }
    }
    double d = headDistance(0.1, 0, reachable - 0.3);
    System.out.printf("lowest head %.2f m below standing; 30 cm lower: %.3f m short%n", -reachable, d);
    assertTrue(reachable < -0.2, "the robot can bend and squat: " + reachable);
    assertTrue(d > 0.2, "a head 30 cm below the lowest bend is " + d + " m from reach");
    assertStanceKept(true, true);
  }

  @Test
  void balanceLimitsAForwardLean() {
    // Reaching far forward with the head tilts the trunk over the toes: kinematically possible, but
    // the robot would tip over; the probe keeps the CoM over the soles.
    probe.balance = false;
    double kinematic = headDistance(0.85, 0, -0.45);
    probe.balance = true;
    double balanced = headDistance(0.85, 0, -0.45);
    System.out.printf("head 85 cm forward, 45 cm lower: %.3f m short (%.3f m without balance)%n", balanced, kinematic);
    assertTrue(kinematic <= ReachProbe.TOLERANCE_M, "the joints allow it: " + kinematic);
    assertTrue(balanced > 0.05, "leaning 85 cm forward was reachable in balance: " + balanced);
    assertStanceKept(true, true);
    KinematicsData p = probe.lastPose();
    kin.centerOfMass(p);
    double front = Math.max(p.linkPosition[3 * leftFoot], p.linkPosition[3 * rightFoot]) + profile.footLength() / 2;
    assertTrue(p.com[0] <= front + 0.01, "CoM " + p.com[0] + " ahead of the toes at " + front);
  }

  @Test
  void aWristOutOfArmsReachIsUnreachable() {
    int wrist = model.linkIndex("left_wrist_yaw_link");
    double d = probe.distance(stance, wrist, stance.linkPosition[3 * wrist] + 1.5, stance.linkPosition[3 * wrist + 1],
        stance.linkPosition[3 * wrist + 2], true, true);
    assertTrue(d > 0.5, "a wrist 1.5 m ahead is " + d + " m away");
  }

  @Test
  void aFootInTheAirIsFreeAndTheProbeLeavesTheStanceAlone() {
    double[] q = stance.q.clone();
    int knee = model.linkIndex("right_shin");
    // lift the right knee 25 cm forward-up: only a free (unplanted) right foot lets the thigh swing there
    double x = stance.linkPosition[3 * knee] + 0.25;
    double z = stance.linkPosition[3 * knee + 2] + 0.15;
    double planted = probe.distance(stance, knee, x, stance.linkPosition[3 * knee + 1], z, true, true);
    double free = probe.distance(stance, knee, x, stance.linkPosition[3 * knee + 1], z, true, false);
    System.out.printf("knee up: %.3f m with both feet planted, %.3f m with the right foot free%n", planted, free);
    assertTrue(free <= ReachProbe.TOLERANCE_M, "swing knee " + free);
    assertTrue(planted > 0.05, "planted knee " + planted);
    assertStanceKept(true, false);
    assertEquals(java.util.Arrays.toString(q), java.util.Arrays.toString(stance.q), "stance unchanged");
  }

  @Test
  void aNonFiniteTargetIsNotReachableAndABadLinkIsRefused() {
    double d = probe.distance(stance, head, Double.NaN, 0, 1, true, true);
    assertTrue(Double.isNaN(d), "distance to NaN: " + d);
    assertFalse(probe.reachable(stance, head, 0, Double.POSITIVE_INFINITY, 1, true, true));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> probe.distance(stance, model.links().size(), 0, 0, 1, true, true));
    // and the probe still works afterwards
    assertTrue(headDistance(0, 0, -0.05) <= ReachProbe.TOLERANCE_M);
  }

  /** The probe's pose keeps the held feet (within 5 mm, 0.02 rad) and every joint within its limits. */
  void assertStanceKept(boolean left, boolean right) {
    KinematicsData p = probe.lastPose();
    for (int s = 0; s < 2; s++) {
      if (s == 0 ? !left : !right) {
        continue;
      }
      int l = s == 0 ? leftFoot : rightFoot;
      double dist = 0;
      for (int a = 0; a < 3; a++) {
        dist += Math.pow(p.linkPosition[3 * l + a] - stance.linkPosition[3 * l + a], 2);
      }
      assertTrue(Math.sqrt(dist) < 0.005, "foot " + s + " moved " + Math.sqrt(dist));
      double trace = 0;
      for (int i = 0; i < 9; i++) {
        trace += p.linkRotation[9 * l + i] * stance.linkRotation[9 * l + i];
      }
      assertTrue(Math.acos(Math.min(1, (trace - 1) / 2)) < 0.02, "foot " + s + " turned");
    }
    for (Joint j : model.dofJoints()) {
      if (j.limits().hasPositionLimits()) {
        double v = p.q[j.qIndex()];
        assertTrue(v >= j.limits().lower() - 1e-9 && v <= j.limits().upper() + 1e-9, j.name() + " " + v);
      }
    }
  }
}
