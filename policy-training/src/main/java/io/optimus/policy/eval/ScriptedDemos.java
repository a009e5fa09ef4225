package io.optimus.policy.eval;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.common.InputException;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.TaskState;
import io.optimus.teleop.controls.EventRepeater;
import io.optimus.teleop.controls.OperatorControls;
import io.optimus.teleop.scripted.CalibratedRobotToOperator;
import io.optimus.teleop.scripted.PalmFeedback;
import io.optimus.teleop.scripted.PickPlacePlanner;
import io.optimus.teleop.scripted.ScriptedOperator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Scripted demonstrations of any task ({@code pick-place}, {@code stack}, {@code handover}), recorded
 * the way the live system records them but in stepped simulated time: teleop-vr's
 * {@code scripted:TASK} operator ({@link ScriptedOperator#forTask}) produces operator frames
 * (its controller inputs mapped to deadman and events by the client's own controls), the bridge's
 * teleop action source retargets them (whole-body IK) through the safety supervisor onto the
 * simulated optimus, and each episode (states, head camera, task, safety events) is written with
 * EpisodeWriter. Episodes the operator did not complete are kept, marked FAILURE.
 */
public final class ScriptedDemos implements DemoGenerator {
  static final double OPERATOR_RATE_HZ = 90;
  public static final double DEFAULT_TIMEOUT_S = 45;
  /** Tasks the scripted operators do. */
  public static final java.util.List<String> TASKS = ScriptedOperator.TASKS;
  /** Forward distance (m) of the middle of the task world's work area (cube and target at x 0.30-0.42). */
  public static final double GAZE_X = 0.36;

  private final String robot;
  private final double timeoutS;
  private final double fumbleRate;
  private final boolean steadyGaze;
  private String world = SimulatedWorlds.DEFAULT;

  /** @param timeoutS simulated seconds after which an unfinished episode is recorded as a failure */
  public ScriptedDemos(String robot, double timeoutS) {
    this(robot, timeoutS, 0, false);
  }

  /**
   * @param fumbleRate probability that the operator's first grasp of an episode closes short of the cube,
   *     so that the demonstrations show reopening and grasping again ({@code PickPlacePlanner.fumbleRate};
   *     pick-place only)
   * @param steadyGaze the operator looks at the middle of the work area ({@link #GAZE_X}, 0) throughout
   *     instead of following the cube and the target ({@code PickPlacePlanner.steadyGaze}; pick-place only)
   */
  public ScriptedDemos(String robot, double timeoutS, double fumbleRate, boolean steadyGaze) {
    if (!(fumbleRate >= 0 && fumbleRate <= 1)) {
      throw new InputException("the fumble rate must be within [0, 1], not " + fumbleRate);
    }
    this.robot = robot;
    this.timeoutS = timeoutS;
    this.fumbleRate = fumbleRate;
    this.steadyGaze = steadyGaze;
  }

  /** Records in the simulated world called {@code name} ({@link SimulatedWorlds}; default the default world). */
  public ScriptedDemos world(String name) {
    this.world = SimulatedWorlds.check(name);
    return this;
  }

  @Override
  public String name() {
    return ScriptedOperator.PREFIX + "TASK";
  }

  @Override
  public boolean supports(String task) {
    return TASKS.contains(task);
  }

  @Override
  public void record(Path dir, String task, int episodes, long seed, PrintStream progress) throws Exception {
    if (!supports(task)) {
      throw new InputException("the scripted operator does tasks " + TASKS + ", not '" + task + "'");
    }
    Files.createDirectories(dir);
    RobotRig rig = PolicyEvaluator.rig(robot);
    RobotProfile profile = RobotProfile.detect(rig.model());
    SimulatedEpisodes sim = new SimulatedEpisodes(rig, BridgeConfig.defaults("scripted-bot").withTask(task, seed)
        .withWorld(world));
    SplittableRandom seeds = new SplittableRandom(seed);
    int existing = Dataset.open(dir).episodes().size();
    int ok = 0;
    int attempts = 0;
    long t0 = System.nanoTime();
    for (int e = 0; e < episodes; e++) {
      long worldSeed = seeds.nextLong() & Long.MAX_VALUE;
      long operatorSeed = seeds.nextLong();
      String id = String.format("scripted-%05d", existing + e);
      EpisodeHeader.Builder header = EpisodeHeader.newBuilder().setEpisodeId(id).setRobotId("scripted-bot")
          .setTask(task).setOperatorId("scripted")
          .setSourceKind(EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED).setSource(ScriptedOperator.PREFIX + task);
      TaskState[] latest = {null};
      ScriptedOperator op = ScriptedOperator.forTask(task, () -> latest[0],
          new CalibratedRobotToOperator(profile, OperatorBody.DEFAULT), operatorSeed, 1, false, OPERATOR_RATE_HZ, null);
      if (op.planner() instanceof PickPlacePlanner p) {
        p.fumbleRate(fumbleRate);
        if (steadyGaze) {
          p.steadyGaze(GAZE_X, 0);
        }
      }
      OperatorControls controls = new OperatorControls(new EventRepeater(1));
      String session = UUID.randomUUID().toString();
      long[] sequence = {0};
      // the operator sees where the robot's palms are (as in the video), except in pick-place, whose
      // demonstrations have always been recorded without (bench policy's datasets stay comparable)
      double[] seenQ = new double[rig.dof()];
      // (in the physics world the operator always sees them: a contact grasp has 5 mm of aim tolerance)
      boolean physics = world.equals(SimulatedWorlds.PHYSICS);
      double[] base = physics ? rig.standBase() : null;
      if (physics || !task.equals("pick-place")) {
        op.watchPalms(PalmFeedback.fromStates(rig, () -> joints(seenQ, base)));
      }
      SimulatedEpisodes.OperatorFeed feed = new SimulatedEpisodes.OperatorFeed() {
        @Override
        public OperatorFrame frameAt(long now, TaskState t) {
          latest[0] = t;
          OperatorFrame.Builder f = op.frameAt(now).setSchemaVersion(1).setOperatorId("scripted").setSessionId(session)
              .setSource(op.name()).setSequence(++sequence[0]);
          controls.apply(f);
          return f.build();
        }

        @Override
        public void measured(double[] q) {
          System.arraycopy(q, 0, seenQ, 0, q.length);
        }
      };
      TeleopActionSource source = new TeleopActionSource(new MotionRetargeter(rig.model(), rig.home()), rig.dof());
      SimulatedEpisodes.Outcome out = sim.runRecorded(source, worldSeed, timeoutS, dir.resolve(id + ".mcap"), header,
          SimulatedEpisodes.RunOptions.withOperator(feed, OPERATOR_RATE_HZ), op.name() + ", world seed " + worldSeed);
      if (out.success()) {
        ok++;
      }
      attempts += out.graspAttempts();
      if (progress != null) {
        double el = (System.nanoTime() - t0) / 1e9;
        progress.printf("\rscripted demos %d/%d  success %d  grasp attempts %d  %.1f s each  ETA %.0f s   ", e + 1,
            episodes, ok, attempts, el / (e + 1), el / (e + 1) * (episodes - e - 1));
        if (e + 1 == episodes) {
          progress.println();
        }
      }
    }
    Dataset.refreshIndex(dir);
  }

  /** A joint state as the bridge reports it: with the base pose when the robot stands on a stand. */
  private static io.optimus.proto.v1.JointState joints(double[] q, double[] base) {
    io.optimus.proto.v1.JointState.Builder b = io.optimus.proto.v1.JointState.newBuilder();
    if (base != null) {
      b.setBasePose(io.optimus.proto.v1.Pose.newBuilder()
          .setPosition(io.optimus.proto.v1.Vector3.newBuilder().setX(base[0]).setY(base[1]).setZ(base[2]))
          .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(1)));
    }
    for (double v : q) {
      b.addPosition(v);
    }
    return b.build();
  }
}
