package io.optimus.bridge.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.RobotDescription;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class SimulatedBodyTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  final RobotDescription desc = RIG.describe("sim", 250, 0);
  final int elbow = RIG.model().qIndex("right_elbow_joint");

  @Test
  void actuatorsLagThenSettleAndNeverExceedTheirLimits() {
    SimulatedBody body = new SimulatedBody(desc, RIG.home());
    BodyState s = new BodyState(RIG.dof());
    JointInfo j = desc.getJoints(elbow);
    double vmax = j.getLimits().getVelocity();
    double tauMax = j.getLimits().getEffort();
    double[] cmd = RIG.home();
    cmd[elbow] = -2.0;
    long t = 0;
    body.read(t, s);
    body.write(t, cmd, null, null);
    double maxV = 0;
    double maxTau = 0;
    t += 4_000_000L;
    body.read(t, s);
    assertTrue(s.position[elbow] > -0.3 - 0.05, "first-order lag: barely moved after 4 ms: " + s.position[elbow]);
    for (int k = 0; k < 500; k++) {
      t += 4_000_000L;
      body.read(t, s);
      maxV = Math.max(maxV, Math.abs(s.velocity[elbow]));
      maxTau = Math.max(maxTau, Math.abs(s.effort[elbow]));
    }
    assertEquals(-2.0, s.position[elbow], 0.01, "settles on the command");
    assertTrue(maxV <= vmax + 1e-9, "speed " + maxV + " within " + vmax);
    assertTrue(maxTau <= tauMax + 1e-9, "effort " + maxTau + " within " + tauMax);
    assertTrue(maxTau > 0.5 * tauMax, "a big step saturates the drive: " + maxTau);
    // commanded beyond the hard stop: it stops at the limit
    cmd[elbow] = -10;
    body.write(t, cmd, null, null);
    for (int k = 0; k < 500; k++) {
      t += 4_000_000L;
      body.read(t, s);
    }
    assertEquals(j.getLimits().getLower(), s.position[elbow], 1e-9);
  }

  @Test
  void bodyKinematicsAndWorldStepDoNotAllocate() {
    SimulatedBody body = new SimulatedBody(desc, RIG.home());
    BodyState s = new BodyState(RIG.dof());
    KinematicsData kin = RIG.kinematics().newData();
    TaskWorld world = new TaskWorld("sim", "pick-place", 3, 0.9);
    HandSample left = new HandSample("l");
    HandSample right = new HandSample("r");
    double[] cmd = RIG.home();
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long t = 0;
    long before = 0;
    for (int k = 0; k < 6000; k++) {
      if (k == 1000) {
        before = mx.getCurrentThreadAllocatedBytes();
      }
      t += 4_000_000L;
      cmd[elbow] = -0.5 - 0.3 * Math.sin(k * 0.01);
      body.read(t, s);
      body.write(t, cmd, null, null);
      System.arraycopy(s.position, 0, kin.q, 0, kin.q.length);
      RIG.forwardStanding(kin);
      int l = RIG.right().palmLink();
      right.set(kin.linkPosition[3 * l], kin.linkPosition[3 * l + 1], kin.linkPosition[3 * l + 2],
          RIG.closure(kin, RIG.right()));
      left.valid = false;
      world.step(0.004, left, right);
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "5000 ticks allocated " + allocated + " bytes");
  }
}
