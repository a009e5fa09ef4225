package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scripted operator through the real pipeline, in stepped time: operator frames (mapped by
 * {@link CalibratedRobotToOperator}) into the bridge's teleop source (OperatorRetargeter: One-Euro
 * filters, calibration, whole-body IK, hand retargeting), the safety supervisor with its
 * self-collision guard, the simulated body and the task world, exactly as the bridge assembles them.
 * The operator sees the robot's palms (forward kinematics of the measured joints, as in the video).
 */
class ScriptedThroughRetargeterTest {
  private static final boolean VERBOSE = Boolean.getBoolean("scripted.verbose");
  private static final double OPERATOR_HZ = 90;
  private static final double TIMEOUT_S = 40;

  /** reachError: palm (measured) to the palm sent at the end of REACH; idleDrift: how far the other palm strays while the working hand descends, grasps, carries and places. */
  record Episode(long seed, boolean success, double seconds, double reachError, double idleDrift,
      Map<String, Integer> events) {}

  static Episode run(RobotRig rig, RobotProfile profile, long seed) {
    // Kinematic world: the reach and idle-drift bounds below judge the retargeter, not the contact grasp; the pick
    // by contact through this same pipeline is policy-training's ScriptedPickPlacePhysicsTest.
    BridgeConfig config = BridgeConfig.defaults("scripted-bot").withTask("pick-place", seed).withCamera(0)
        .withWorld(io.optimus.bridge.sim.SimulatedWorlds.KINEMATIC);
    double[] home = rig.home();
    TaskState[] task = {null};
    SafetyStatus[] status = {null};
    JointState[] state = {null};
    ControlLoop.Output output = new ControlLoop.Output() {
      @Override
      public void task(TaskState t) {
        task[0] = t;
      }

      @Override
      public void safetyStatus(SafetyStatus s) {
        status[0] = s;
      }
    };
    SimulatedRobot robot = SimulatedRobot.builder(rig, config).output(output).stateEvery(1_000_000).build();
    SafetySupervisor supervisor = robot.supervisor();
    Map<String, Integer> events = new TreeMap<>();
    supervisor.addListener((SafetyEvent e) -> {
      if (VERBOSE && !e.getType().name().contains("ENGAGED")) {
        System.out.println("  event " + e.getType() + " " + e.getJoint() + " " + e.getDetail() + " " + e.getValue());
      }
    });
    supervisor.addListener((SafetyEvent e) -> events.merge(e.getType().name().replace("SAFETY_EVENT_", ""), 1, Integer::sum));
    TaskWorld world = robot.objects();
    task[0] = world.toProto();
    OperatorInbox inbox = robot.inbox();
    ControlLoop loop = robot.loop();
    double[] q = new double[rig.dof()];
    PickPlaceOperator op = new PickPlaceOperator(() -> task[0],
        new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT), seed * 31 + 7, 1, false, OPERATOR_HZ, null)
        .watchSafety(() -> status[0])
        .watchPalms(PalmFeedback.fromStates(rig, () -> state[0]));
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    MotionRetargeter retargeter = new MotionRetargeter(rig.model(), home);
    loop.setSource(new TeleopActionSource(retargeter, rig.dof()));
    io.optimus.motion.kinematics.KinematicsData ikData = rig.kinematics().newData();
    PalmFeedback palms = PalmFeedback.fromStates(rig, () -> state[0]);
    long period = (long) (1e9 / config.controlRateHz());
    long operatorPeriod = (long) (1e9 / OPERATOR_HZ);
    long start = 1_000_000_000L, now = start, nextOperator = start, end = start + (long) (TIMEOUT_S * 1e9);
    long sequence = 0;
    PickPlacePlanner.Phase last = null;
    double reachError = Double.NaN, idleDrift = 0;
    Vec3[] idleRest = new Vec3[2]; // per hand, where it rests while the other works (the hands swap to pick a dropped cube again)
    boolean success = false;
    try {
      while (now < end && !op.planner().finished()) {
        loop.snapshot(q);
        JointState.Builder js = JointState.newBuilder();
        for (double v : q) {
          js.addPosition(v);
        }
        state[0] = js.build();
        if (now >= nextOperator) {
          PickPlacePlanner.Phase before = op.planner().phase();
          OperatorFrame.Builder f = op.frameAt(now).setSchemaVersion(1).setSequence(++sequence).setSource(op.name());
          controls.apply(f);
          inbox.offer(f.build(), now);
          nextOperator += operatorPeriod;
          PickPlacePlanner.Phase phase = op.planner().phase();
          int hand = op.planner().hand();
          if (before == PickPlacePlanner.Phase.REACH && phase != before) {
            // the end of the reach: the palm as sent vs the palm as it is
            Vec3 wanted = op.lastOutput().palm[hand].translation();
            Vec3 seen = palms.palm(hand);
            reachError = seen == null ? Double.NaN : seen.distance(wanted);
            if (VERBOSE) {
              System.out.printf(Locale.ROOT, "seed %d reach end: wanted %s robot %s error %.3f%n", seed, wanted, seen, reachError);
            }
          }
          if (phase.ordinal() >= PickPlacePlanner.Phase.DESCEND.ordinal() && phase.ordinal() <= PickPlacePlanner.Phase.RELEASE.ordinal()) {
            Vec3 idle = palms.palm(1 - hand);
            if (idle != null) {
              idleRest[1 - hand] = idleRest[1 - hand] == null ? idle : idleRest[1 - hand];
              idleDrift = Math.max(idleDrift, idle.distance(idleRest[1 - hand]));
            }
          }
          if (VERBOSE && sequence % 30 == 0 && phase.ordinal() >= PickPlacePlanner.Phase.REACH.ordinal()
              && phase.ordinal() <= PickPlacePlanner.Phase.PLACE.ordinal()) {
            var ik = retargeter.delegate();
            System.arraycopy(ik.state().q, 0, ikData.q, 0, q.length);
            rig.forwardStanding(ikData);
            for (int h : new int[] {hand, 1 - hand}) {
              String name = h == 0 ? "left_palm" : "right_palm";
              int l = rig.model().linkIndex(name);
              System.out.printf(Locale.ROOT, "    %s sent %s ik-target %s ik-out (%.3f %.3f %.3f) measured %s%n", h == hand ? "work" : "idle",
                  op.lastOutput().palm[h].translation(), ik.ik().task(name).targetPosition(),
                  ikData.linkPosition[3 * l], ikData.linkPosition[3 * l + 1], ikData.linkPosition[3 * l + 2], palms.palm(h));
            }
            int w = rig.model().joint("waist_yaw_joint").orElseThrow().qIndex();
            System.out.printf(Locale.ROOT, "    waist ik %.3f measured %.3f%n", ik.state().q[w], q[w]);
          }
          if (phase != last) {
            if (VERBOSE) {
              System.out.printf(Locale.ROOT, "seed %d t=%.2f %s hand %d palm %s other %s cube %s target %s%n", seed, (now - start) / 1e9, phase, hand,
                  palms.palm(hand), palms.palm(1 - hand), task[0].getObjects(0).getPose().getPosition().toString().replace('\n', ' '),
                  task[0].getTargetArea().getPosition().toString().replace('\n', ' '));
            }
            last = phase;
          }
        }
        robot.step(now);
        success |= world.success();
        now += period;
      }
    } finally {
      robot.close();
    }
    return new Episode(seed, success || world.success(), (now - start) / 1e9, reachError, idleDrift, events);
  }

  @Test
  void scriptedOperatorSucceedsThroughTheRealPipeline() {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    RobotProfile profile = RobotProfile.detect(rig.model());
    int seeds = Integer.getInteger("scripted.seeds", 10);
    List<Episode> runs = new ArrayList<>();
    for (long s = Long.getLong("scripted.first", 1); s < Long.getLong("scripted.first", 1) + seeds; s++) {
      Episode e = run(rig, profile, s);
      System.out.println(String.format(Locale.ROOT, "seed %d success %s in %.1f s, reach error %.3f m, idle drift %.3f m, events %s",
          e.seed(), e.success(), e.seconds(), e.reachError(), e.idleDrift(), e.events()));
      runs.add(e);
    }
    long ok = runs.stream().filter(Episode::success).count();
    double worstReach = runs.stream().mapToDouble(Episode::reachError).max().orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "scripted through retargeter: %d/%d succeeded, worst reach error %.3f m%n", ok, seeds, worstReach);
    for (Episode e : runs) {
      // before the fixes a stuck arm ended the reach 0.22-0.39 m off and the idle hand wandered 0.27-0.6 m;
      // a lagging one 0.14 m (seed 5, since the torso collides as two slimmer capsules: the guard now keeps
      // the forearm out of the chest, which the old round capsule's home-pose allowed set let through)
      assertTrue(e.reachError() < 0.15, "seed " + e.seed() + ": palm " + e.reachError() + " m from the reach target");
      assertTrue(e.idleDrift() < 0.15, "seed " + e.seed() + ": the idle hand wandered " + e.idleDrift() + " m");
    }
    assertTrue(ok >= Math.ceil(0.8 * seeds), ok + " of " + seeds + " succeeded");
  }
}
