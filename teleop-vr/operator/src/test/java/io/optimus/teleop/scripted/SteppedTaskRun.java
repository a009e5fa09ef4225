package io.optimus.teleop.scripted;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scripted episode of a task through the real pipeline in stepped time: the task's
 * {@link ScriptedOperator} (frames mapped by {@link CalibratedRobotToOperator}, controls applied) into
 * the bridge's teleop source (whole-body IK), the safety supervisor with its self-collision guard and
 * the simulated robot with its task world, as the bridge assembles them.
 */
final class SteppedTaskRun {
  static final boolean VERBOSE = Boolean.getBoolean("scripted.verbose");
  static final double OPERATOR_HZ = 90;

  /**
   * How it went: success, simulated seconds, the operator's phase at the end, the phase it withdrew
   * from (where a failed episode failed: the operator gave up there, or it went on to release and the
   * cube did not end up right), which hands held the cube, safety events.
   */
  record Episode(String task, long seed, boolean success, boolean operatorJudgedSuccess, double seconds, String lastPhase,
      String withdrewFrom, int handsThatHeld, Map<String, Integer> events) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s seed %d success %s (operator: %s) in %.1f s, last phase %s, withdrew from %s, hands %d, events %s",
          task, seed, success, operatorJudgedSuccess, seconds, lastPhase, withdrewFrom, handsThatHeld, events);
    }
  }

  private SteppedTaskRun() {
  }

  static Episode run(RobotRig rig, RobotProfile profile, String task, long seed, double timeoutS) {
    return run(rig, profile, task, seed, timeoutS, false);
  }

  /** @param physics in the Bullet physics world (fingers grasp by contact) instead of the kinematic one */
  static Episode run(RobotRig rig, RobotProfile profile, String task, long seed, double timeoutS, boolean physics) {
    BridgeConfig config = BridgeConfig.defaults("scripted-bot").withTask(task, seed).withCamera(0);
    TaskState[] state = {null};
    SafetyStatus[] status = {null};
    JointState[] joints = {null};
    ControlLoop.Output output = new ControlLoop.Output() {
      @Override
      public void task(TaskState t) {
        state[0] = t;
      }

      @Override
      public void safetyStatus(SafetyStatus s) {
        status[0] = s;
      }

      @Override
      public void state(JointState s) {
        joints[0] = s; // with the base pose: the physics robot stands on a stand, not on its feet
      }
    };
    SimulatedRobot.Builder builder = SimulatedRobot.builder(rig, config).output(output).stateEvery(2);
    if (physics) {
      builder.world(io.optimus.bridge.sim.PhysicsSimulatedWorld.FACTORY);
    }
    SimulatedRobot robot = builder.build();
    Map<String, Integer> events = new TreeMap<>();
    robot.supervisor().addListener((SafetyEvent e) -> {
      events.merge(e.getType().name().replace("SAFETY_EVENT_", ""), 1, Integer::sum);
      if (VERBOSE && !e.getType().name().contains("ENGAGED")) {
        System.out.println("  event " + e.getType() + " " + e.getDetail());
      }
    });
    TaskWorld world = robot.objects();
    state[0] = world.toProto();
    ScriptedOperator op = ScriptedOperator.forTask(task, () -> state[0],
        new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT), seed * 31 + 7, 1, false, OPERATOR_HZ, null)
        .watchSafety(() -> status[0])
        .watchPalms(PalmFeedback.fromStates(rig, () -> joints[0]));
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    robot.loop().setSource(new TeleopActionSource(new MotionRetargeter(rig.model(), rig.home()), rig.dof()));
    double[] q = new double[rig.dof()];
    long period = (long) (1e9 / config.controlRateHz());
    long operatorPeriod = (long) (1e9 / OPERATOR_HZ);
    long start = 1_000_000_000L;
    long now = start;
    long nextOperator = start;
    long end = start + (long) (timeoutS * 1e9);
    long sequence = 0;
    boolean success = false;
    Enum<?> last = null;
    Enum<?> previous = null;
    String withdrewFrom = null;
    io.optimus.bridge.safety.CapsuleCollisionGuard probe = VERBOSE ? new io.optimus.bridge.safety.CapsuleCollisionGuard(rig, 0.01) : null;
    try {
      while (now < end && !op.planner().finished()) {
        if (now >= nextOperator) {
          robot.loop().snapshot(q);
          OperatorFrame.Builder f = op.frameAt(now).setSchemaVersion(1).setSequence(++sequence).setSource(op.name());
          controls.apply(f);
          robot.inbox().offer(f.build(), now);
          nextOperator += operatorPeriod;
          Enum<?> phase = op.planner().phase();
          if (phase != previous && withdrewFrom == null && phase.name().equals("WITHDRAW")) {
            withdrewFrom = String.valueOf(previous);
          }
          previous = phase;
          if (VERBOSE && sequence % 20 == 0 && phase.name().startsWith("TAKE")) {
            System.out.printf(Locale.ROOT, "    clearance %.3f %s sent %s%n", probe.clearance(q), probe.lastPair(),
                op.lastOutput().palm[phase.name().isEmpty() ? 0 : 0].translation() + " / " + op.lastOutput().palm[1].translation());
          }
          if (VERBOSE && phase != last) {
            PalmFeedback palms = PalmFeedback.fromStates(rig, () -> joints[0]);
            System.out.printf(Locale.ROOT, "%s seed %d t=%.2f %s palms %s %s cube %s held %s%n", task, seed,
                (now - start) / 1e9, phase, palms.palm(0), palms.palm(1),
                state[0].getObjects(0).getPose().getPosition().toString().replace('\n', ' '),
                state[0].getObjects(0).getHeldBy());
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
    return new Episode(task, seed, success, op.planner().successes() > 0, (now - start) / 1e9, String.valueOf(op.planner().phase()),
        withdrewFrom == null ? String.valueOf(previous) : withdrewFrom,
        world.handsThatHeld(world.cube()), events);
  }
}
