package io.optimus.teleop.scripted;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.bridge.world.WorldObject;
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
  /** Phases (e.g. PLACE,RELEASE) to trace every 0.1 s: palm, cube, hold, trigger. */
  static final String TRACE = System.getProperty("scripted.trace");

  /**
   * How it went: success, simulated seconds, the operator's phase at the end, the phase it withdrew
   * from (a handover's failure: the operator gave up there, or it went on through the release and the
   * cube did not end up right), which hands held the cube, safety events, and for a failure where it
   * failed ({@link #failure}).
   */
  record Episode(String task, long seed, boolean success, boolean operatorJudgedSuccess, double seconds, String lastPhase,
      String withdrewFrom, int handsThatHeld, Map<String, Integer> events, String failure, long trajectory) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s seed %d success %s (operator: %s) in %.1f s, last phase %s, withdrew from %s, hands %d, events %s%s, trajectory %016x",
          task, seed, success, operatorJudgedSuccess, seconds, lastPhase, withdrewFrom, handsThatHeld, events,
          success ? "" : ", failed at " + failure, trajectory);
    }

    /** The failure's stage alone (approach, closure, lift, carry, place, timeout), or "" for a success. */
    String stage() {
      return success ? "" : failure.split(" ")[0];
    }
  }

  private SteppedTaskRun() {
  }

  /** What an operator sees of the robot: its newest task state, safety status and joint state (live: its topics). */
  private static final class Latest implements ControlLoop.Output {
    TaskState task;
    SafetyStatus status;
    JointState joints; // with the base pose the robot reports (on its stand in the physics world), as live

    @Override
    public void task(TaskState t) {
      task = t;
    }

    @Override
    public void safetyStatus(SafetyStatus s) {
      status = s;
    }

    @Override
    public void state(JointState s) {
      joints = s;
    }
  }

  /** {@code task} on each of {@code seeds} in the physics world, 45 s episodes (the seed-specific regression tests). */
  static java.util.List<Episode> physics(String task, long... seeds) {
    java.util.List<Episode> all = new java.util.ArrayList<>();
    for (long seed : seeds) {
      all.add(run(ScriptedTasksTest.RIG, ScriptedTasksTest.PROFILE, task, seed, 45, true));
    }
    return all;
  }

  /** The episodes one a line, for an assertion's message. */
  static String log(java.util.List<Episode> episodes) {
    StringBuilder b = new StringBuilder();
    episodes.forEach(e -> b.append(e).append('\n'));
    return b.toString();
  }

  static Episode run(RobotRig rig, RobotProfile profile, String task, long seed, double timeoutS) {
    return run(rig, profile, task, seed, timeoutS, false);
  }

  /** @param physics in the Bullet physics world (fingers grasp by contact) instead of the kinematic one */
  static Episode run(RobotRig rig, RobotProfile profile, String task, long seed, double timeoutS, boolean physics) {
    BridgeConfig config = BridgeConfig.defaults("scripted-bot").withTask(task, seed).withCamera(0);
    Latest latest = new Latest();
    SimulatedRobot.Builder builder = SimulatedRobot.builder(rig, config).output(latest).stateEvery(OPERATOR_STATE_EVERY)
        .world(physics ? io.optimus.bridge.sim.PhysicsSimulatedWorld.FACTORY : io.optimus.bridge.sim.KinematicWorld.FACTORY);
    SimulatedRobot robot = builder.build();
    Map<String, Integer> events = new TreeMap<>();
    robot.supervisor().addListener((SafetyEvent e) -> {
      events.merge(e.getType().name().replace("SAFETY_EVENT_", ""), 1, Integer::sum);
      if (VERBOSE && !e.getType().name().contains("ENGAGED")) {
        System.out.println("  event " + e.getType() + " " + e.getJoint() + " " + e.getDetail() + " t=" + e.getStamp().getMonotonicNs() / 1e9);
      }
    });
    TaskWorld world = robot.objects();
    latest.task = world.toProto();
    ScriptedOperator op = ScriptedOperator.forTask(task, () -> latest.task,
        new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT), seed * 31 + 7, 1, false, OPERATOR_HZ, null)
        .watchSafety(() -> latest.status)
        .watchPalms(PalmFeedback.fromStates(rig, () -> latest.joints));
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    robot.loop().setSource(new TeleopActionSource(new MotionRetargeter(rig.model(), rig.home()), rig.dof()));
    double[] q = new double[rig.dof()];
    FailureStages stages = new FailureStages(world);
    int workHand = world.cube().position[1] >= 0 ? 0 : 1; // the pick-and-place planners' choice
    long period = (long) (1e9 / config.controlRateHz());
    long operatorPeriod = (long) (1e9 / OPERATOR_HZ);
    long start = 1_000_000_000L;
    long now = start;
    long nextOperator = start;
    long end = start + (long) (timeoutS * 1e9);
    long sequence = 0;
    long trajectory = 1;
    boolean success = false;
    Enum<?> last = null;
    Enum<?> previous = null;
    String withdrewFrom = null;
    io.optimus.bridge.safety.CapsuleCollisionGuard probe = VERBOSE ? new io.optimus.bridge.safety.CapsuleCollisionGuard(rig, 0.01) : null;
    try {
      while (now < end && !op.planner().finished()) {
        if (now >= nextOperator) {
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
            robot.loop().snapshot(q);
            System.out.printf(Locale.ROOT, "    clearance %.3f %s sent %s%n", probe.clearance(q), probe.lastPair(),
                op.lastOutput().palm[phase.name().isEmpty() ? 0 : 0].translation() + " / " + op.lastOutput().palm[1].translation());
          }
          if (TRACE != null && sequence % 9 == 0 && TRACE.contains(phase.name())) {
            PalmFeedback palms = PalmFeedback.fromStates(rig, () -> latest.joints);
            double[] c = world.cube().position;
            JointState cmd = latest.joints == null ? null
                : latest.joints.toBuilder().clearPosition().addAllPosition(latest.joints.getCommandedPositionList()).build();
            StringBuilder touch = new StringBuilder();
            if (robot.world() instanceof io.optimus.bridge.sim.PhysicsSimulatedWorld pw) {
              for (int l = 0; l < rig.model().links().size(); l++) {
                if (pw.physics().touching(l, 0)) {
                  touch.append(' ').append(rig.model().links().get(l).name());
                }
              }
            }
            StringBuilder tips = new StringBuilder();
            if (latest.joints != null && latest.joints.getPositionCount() == rig.dof()) {
              io.optimus.motion.kinematics.KinematicsData kd = rig.kinematics().newData();
              double[] jq = new double[rig.dof()];
              for (int i = 0; i < jq.length; i++) {
                jq[i] = latest.joints.getPosition(i);
              }
              kd.setQ(jq);
              var bp = latest.joints.getBasePose().getPosition();
              kd.setBasePose(new io.optimus.motion.geometry.Pose3(new io.optimus.motion.geometry.Vec3(bp.getX(), bp.getY(), bp.getZ()),
                  io.optimus.motion.geometry.Quat.IDENTITY));
              rig.kinematics().forward(kd);
              for (int l = 0; l < rig.model().links().size(); l++) {
                String n = rig.model().links().get(l).name();
                if (n.startsWith(workHand == 0 ? "left_" : "right_") && n.endsWith("_tip")) {
                  tips.append(String.format(Locale.ROOT, " %s(%+.3f %+.3f %+.3f)", n.replaceAll("^(left|right)_|_tip$", ""),
                      kd.linkPosition[3 * l] - c[0], kd.linkPosition[3 * l + 1] - c[1], kd.linkPosition[3 * l + 2] - c[2]));
                }
              }
              if (world.objects().length > 1) {
                double[] b = world.objects()[1].position;
                tips.append(String.format(Locale.ROOT, " base-cube(%+.3f %+.3f %+.3f)", b[0] - c[0], b[1] - c[1], b[2] - c[2]));
              }
            }
            System.out.printf(Locale.ROOT, "    %.2f %s palm %s commanded %s sent %s cube (%.3f %.3f %.3f) held '%s' trigger %.2f tips%s touching%s%n",
                (now - start) / 1e9, phase, palms.palm(workHand), PalmFeedback.fromStates(rig, () -> cmd).palm(workHand),
                op.lastOutput().palm[workHand].translation(), c[0], c[1], c[2], latest.task.getObjects(0).getHeldBy(),
                op.lastOutput().trigger[workHand], tips, touch);
            if (task.equals("handover")) { // the other hand too, and where each palm faces (its z axis)
              int other = 1 - workHand;
              System.out.printf(Locale.ROOT, "      other palm %s commanded %s sent %s trigger %.2f; normals %s %s%n",
                  palms.palm(other), PalmFeedback.fromStates(rig, () -> cmd).palm(other),
                  op.lastOutput().palm[other].translation(), op.lastOutput().trigger[other],
                  palmNormal(rig, latest.joints, 0), palmNormal(rig, latest.joints, 1));
              if (op.planner() instanceof HandoverPlanner hp) {
                System.out.printf(Locale.ROOT, "      wanted %s %s%n", hp.sentPalm(workHand), hp.sentPalm(other));
              }
            }
          }
          if (VERBOSE && phase != last) {
            PalmFeedback palms = PalmFeedback.fromStates(rig, () -> latest.joints);
            System.out.printf(Locale.ROOT, "%s seed %d t=%.2f %s palms %s %s cube %s held %s%n", task, seed,
                (now - start) / 1e9, phase, palms.palm(0), palms.palm(1),
                latest.task.getObjects(0).getPose().getPosition().toString().replace('\n', ' '),
                latest.task.getObjects(0).getHeldBy());
            last = phase;
          }
        }
        robot.step(now);
        trajectory = fingerprint(trajectory, latest.joints, world.objects());
        success |= world.success();
        stages.observe(op.planner().phase().name(), world);
        now += period;
      }
    } finally {
      robot.close();
    }
    return new Episode(task, seed, success, op.planner().successes() > 0, (now - start) / 1e9, String.valueOf(op.planner().phase()),
        withdrewFrom == null ? String.valueOf(previous) : withdrewFrom,
        world.handsThatHeld(world.cube()), events, stages.verdict(world, String.valueOf(op.planner().phase())), trajectory);
  }

  /** One episode of a {@link #live} run: the world's seed, the operator's verdict, the world's, which hands held the cube. */
  record LiveEpisode(long worldSeed, boolean operatorJudgedSuccess, boolean success, int handsThatHeld, int graspAttempts,
      int graspsTaken) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "world seed %d success %s (operator: %s), hands %d, grasps %d of %d attempts",
          worldSeed, success, operatorJudgedSuccess, handsThatHeld, graspsTaken, graspAttempts);
    }
  }

  /**
   * {@code episodes} episodes of {@code task} in the physics world wired as {@code teleop --source scripted:TASK}
   * against a bridge: one operator ({@code forTask(task, ..., seed, episodes, ...)}) and one robot throughout,
   * the first layout the bridge's startup seed ({@code seed}), then after each episode the task reset the
   * operator asks for (seed * 1000 + episode) done as the bridge does it (ControlRequests:
   * the new layout, then {@link ControlLoop#returnHome} unless {@code carryOver}, which keeps the robot where the
   * last episode left it, as before session 34). Each episode at most {@code timeoutS} simulated seconds.
   */
  static java.util.List<LiveEpisode> live(String task, long seed, int episodes, double timeoutS, boolean carryOver) {
    RobotRig rig = ScriptedTasksTest.RIG;
    BridgeConfig config = BridgeConfig.defaults("scripted-bot").withTask(task, seed).withCamera(0);
    Latest latest = new Latest();
    SimulatedRobot robot = SimulatedRobot.builder(rig, config).output(latest).stateEvery(OPERATOR_STATE_EVERY)
        .world(io.optimus.bridge.sim.PhysicsSimulatedWorld.FACTORY).build();
    TaskWorld world = robot.objects();
    java.util.List<LiveEpisode> done = new java.util.ArrayList<>();
    long[] reset = {Long.MIN_VALUE};
    boolean[] success = {false};
    ScriptedOperator op = ScriptedOperator.forTask(task, () -> latest.task,
        new CalibratedRobotToOperator(ScriptedTasksTest.PROFILE, OperatorBody.DEFAULT), seed, episodes, false, OPERATOR_HZ,
        (episode, judged) -> {
          done.add(new LiveEpisode(world.seed(), judged, success[0], world.handsThatHeld(world.cube()), world.graspAttempts(),
              world.graspsTaken()));
          reset[0] = seed * 1000 + episode; // TeleopCommand's request
        })
        .watchSafety(() -> latest.status)
        .watchPalms(PalmFeedback.fromStates(rig, () -> latest.joints));
    OperatorControls controls = new OperatorControls(new EventRepeater(1));
    robot.loop().setSource(new TeleopActionSource(new MotionRetargeter(rig.model(), rig.home()), rig.dof()));
    long period = (long) (1e9 / config.controlRateHz());
    long operatorPeriod = (long) (1e9 / OPERATOR_HZ);
    long now = 1_000_000_000L;
    long nextOperator = now;
    long episodeStart = now;
    long sequence = 0;
    try {
      while (!op.planner().finished() && now - episodeStart < (long) (timeoutS * 1e9)) {
        if (now >= nextOperator) {
          OperatorFrame.Builder f = op.frameAt(now).setSchemaVersion(1).setSequence(++sequence).setSource(op.name());
          controls.apply(f);
          robot.inbox().offer(f.build(), now);
          nextOperator += operatorPeriod;
        }
        if (reset[0] != Long.MIN_VALUE) { // the bridge's RESET_TASK
          synchronized (world) {
            world.reset(reset[0]);
          }
          if (!carryOver) {
            robot.loop().returnHome();
          }
          reset[0] = Long.MIN_VALUE;
          success[0] = false;
          episodeStart = now;
        }
        robot.step(now);
        success[0] |= world.success();
        now += period;
      }
    } finally {
      robot.close();
    }
    return done;
  }

  /**
   * Folds one tick into a trajectory fingerprint: the measured joints the robot last reported and every
   * object's pose, bit for bit (equal fingerprints: the same trajectory, barring a 64-bit collision).
   */
  static long fingerprint(long h, JointState joints, WorldObject[] objects) {
    if (joints != null) {
      for (int i = 0; i < joints.getPositionCount(); i++) {
        h = mix(h, joints.getPosition(i));
      }
    }
    for (WorldObject o : objects) {
      for (double v : o.position) {
        h = mix(h, v);
      }
      for (double v : o.orientation) {
        h = mix(h, v);
      }
    }
    return h;
  }

  private static long mix(long h, double v) {
    h = (Long.rotateLeft(h, 23) ^ Double.doubleToLongBits(v)) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** The measured palm's normal (its z axis, out of the palm) of hand {@code h}, from the standing pose (a trace). */
  static io.optimus.motion.geometry.Vec3 palmNormal(RobotRig rig, JointState s, int h) {
    if (s == null) {
      return null;
    }
    var d = rig.kinematics().newData();
    double[] q = new double[rig.dof()];
    for (int i = 0; i < q.length; i++) {
      q[i] = s.getPosition(i);
    }
    d.setQ(q);
    rig.forwardStanding(d);
    int l = h == 0 ? rig.left().palmLink() : rig.right().palmLink();
    return d.linkPose(l).rotation().rotate(io.optimus.motion.geometry.Vec3.UNIT_Z);
  }

  /** The live bridge publishes joint states at 250 Hz; every 3rd tick is still faster than the operator's 90 Hz. */
  static final int OPERATOR_STATE_EVERY = 2;

  /**
   * Where a failed episode went wrong, from the cube and the operator's phases: approach (the hand never
   * came down to close), closure (closed, the cube never rose), lift (it rose but was never carried up
   * clear of the table), carry (lifted, then fell before the hand opened: on the way or while being set
   * down), place (set down or let go
   * near the goal, not left as the goal wants: distance from the goal's centre, upright, resting),
   * timeout (still busy at the end).
   */
  static final class FailureStages {
    private final double restZ;
    private boolean closed;
    private boolean lifted;
    private boolean carried;
    private boolean placing;
    private boolean droppedBeforePlace;
    /** Where the cube was (relative to the goal's centre) when the hand began to open over the goal. */
    private double[] letGo;

    FailureStages(TaskWorld w) {
      restZ = w.cube().position[2];
    }

    void observe(String phase, TaskWorld w) {
      double rise = w.cube().position[2] - restZ;
      closed |= phase.equals("CLOSE") || phase.startsWith("TAKE") || phase.startsWith("GIVE");
      lifted |= rise > 0.02;
      carried |= rise > 0.06;
      if (!placing && (phase.equals("PLACE") || phase.equals("RELEASE"))) {
        placing = true;
      }
      if (letGo == null && phase.equals("RELEASE")) {
        double[] g = w.targetCentre();
        letGo = new double[] {w.cube().position[0] - g[0], w.cube().position[1] - g[1], rise};
      }
      if (carried && letGo == null && rise < 0.01) {
        droppedBeforePlace = true;
      }
    }

    String verdict(TaskWorld w, String lastPhase) {
      WorldObject c = w.cube();
      double[] goal = w.targetCentre();
      String where = String.format(Locale.ROOT, "(cube %.3f m from goal centre (%+.3f %+.3f), %.3f m above rest, upright %s, resting %s%s)",
          Math.hypot(c.position[0] - goal[0], c.position[1] - goal[1]), c.position[0] - goal[0], c.position[1] - goal[1],
          c.position[2] - restZ, TaskWorld.upright(c), w.atRest(c), letGo == null ? ""
              : String.format(Locale.ROOT, "; let go at (%+.3f %+.3f) from the goal, %.3f m above rest", letGo[0], letGo[1], letGo[2]));
      if (!closed) {
        return "approach " + where;
      } else if (!lifted) {
        return "closure " + where;
      } else if (!carried) {
        return "lift " + where;
      } else if (droppedBeforePlace) {
        return (placing ? "carry (while setting it down) " : "carry ") + where;
      } else if (!placing) {
        return (lastPhase.equals("DONE") || lastPhase.equals("WAIT_RESET") ? "carry " : "timeout ") + where;
      }
      return "place " + where;
    }
  }
}
