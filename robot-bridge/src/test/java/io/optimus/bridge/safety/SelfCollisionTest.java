package io.optimus.bridge.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelfCollisionTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void segmentDistances() {
    double[] s = {0, 0, 0, 1, 0, 0};
    assertEquals(1.0, CapsuleCollisionGuard.segmentDistanceSquared(s, 0, new double[] {0, 1, 0, 1, 1, 0}, 0), 1e-12);
    assertEquals(0.0, CapsuleCollisionGuard.segmentDistanceSquared(s, 0, new double[] {0.5, -1, 0, 0.5, 1, 0}, 0), 1e-12);
    assertEquals(4.0, CapsuleCollisionGuard.segmentDistanceSquared(s, 0, new double[] {3, 0, 0, 5, 0, 0}, 0), 1e-12);
    assertEquals(0.25, CapsuleCollisionGuard.segmentDistanceSquared(s, 0, new double[] {0.2, 0.5, 0, 0.2, 0.5, 0}, 0), 1e-12);
  }

  /** A seeded search for an arm pose whose capsules interpenetrate the body. */
  static double[] collidingPose(CapsuleCollisionGuard guard) {
    SplittableRandom rnd = new SplittableRandom(3);
    double[] q = RIG.home();
    for (int tries = 0; tries < 20000; tries++) {
      q = RIG.home();
      for (Joint j : RIG.model().dofJoints()) {
        if (j.group().equals("left_arm") || j.group().equals("right_arm")) {
          q[j.qIndex()] = j.limits().lower() + rnd.nextDouble() * (j.limits().upper() - j.limits().lower());
        }
      }
      if (guard.clearance(q) < -0.03) {
        return q;
      }
    }
    throw new AssertionError("no colliding arm pose found");
  }

  @Test
  void homeIsClearAndTheSupervisorRefusesToDriveIntoTheBody() {
    CapsuleCollisionGuard guard = new CapsuleCollisionGuard(RIG, 0.01);
    assertTrue(guard.pairs() > 20, "pairs checked: " + guard.pairs());
    assertTrue(guard.clearance(RIG.home()) > 0.01, "home pose is clear");
    double[] target = collidingPose(guard);
    String pair = guard.lastPair();
    assertTrue(pair.contains("arm") || pair.contains("hand") || pair.contains("shoulder") || pair.contains("wrist"), pair);

    List<SafetyEvent> events = new ArrayList<>();
    var limits = new JointLimitTable(RIG.model().toDescription("r").getJointsList(), SafetyConfig.DEFAULT);
    SafetySupervisor sup = new SafetySupervisor("r", limits, SafetyConfig.DEFAULT, RIG.home(), RIG.home());
    sup.setCollisionGuard(guard);
    sup.addListener(events::add);
    double[] cmd = new double[RIG.dof()];
    long now = 0;
    sup.operatorInput(now, false, false, 1);
    sup.operatorInput(now, true, false, 2);
    double minClearance = Double.POSITIVE_INFINITY;
    for (int t = 0; t < 1500; t++) {
      now += 4_000_000L;
      sup.operatorInput(now, true, false, t + 3);
      sup.tick(now, 0.004, target, cmd);
      minClearance = Math.min(minClearance, guard.clearance(cmd));
    }
    assertTrue(minClearance > 0, "capsules never touched; closest " + minClearance);
    SafetyEvent e = events.stream().filter(x -> x.getType() == SafetyEventType.SAFETY_EVENT_SELF_COLLISION)
        .findFirst().orElse(null);
    assertNotNull(e, "a self-collision event was raised");
    assertTrue(e.getJoint().contains("/"), e.getJoint());
  }
}
