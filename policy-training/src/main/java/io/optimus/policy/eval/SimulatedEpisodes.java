package io.optimus.policy.eval;

import io.optimus.bridge.BridgeConfig;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetySeverity;
import java.util.Map;
import java.util.TreeMap;

/**
 * Episodes of the bridge's simulated robot in stepped time: the same {@link SimulatedRobot} a
 * {@link io.optimus.bridge.RobotBridge} runs (and the same config values), but stepped by this class
 * as fast as the CPU allows instead of by a real-time thread, so 50 evaluation episodes take minutes
 * and are reproducible. Adds what evaluation measures: success, interventions, how close a palm came.
 */
public final class SimulatedEpisodes {
  /** Operator frames in simulated time (a scripted operator), fed to the loop's inbox; null for none. */
  @FunctionalInterface
  public interface OperatorFeed {
    /** The frame at simulated monotonic time {@code nowNs}, given the latest task state; null for none. */
    io.optimus.proto.v1.OperatorFrame frameAt(long nowNs, io.optimus.proto.v1.TaskState task);

    /** The robot's measured joint positions just before {@link #frameAt} (what the operator sees); ignored by default. */
    default void measured(double[] q) {
    }
  }

  /**
   * How one episode went, with where a failed one stopped: did a palm come within grasp reach of the
   * cube ({@code closestPalmToCubeM}, sampled at camera rate), was it grasped, lifted, and how far from
   * the target area's centre it ended (horizontal distance); how often a hand closed empty
   * ({@code graspAttempts}) and how far from the cube the first closing was (NaN if none): a policy that
   * closes early and never reopens shows one attempt at a distance beyond the grasp radius.
   */
  public record Outcome(long seed, boolean success, double timeToSuccessS, double durationS, int interventions,
      Map<String, Integer> eventsByType, double closestPalmToCubeM, boolean grasped, double maxLiftM,
      double finalCubeToTargetM, int graspAttempts, double firstAttemptToCubeM) {}

  private final RobotRig rig;
  private final BridgeConfig config;
  private final RobotDescription description;

  public SimulatedEpisodes(RobotRig rig, BridgeConfig config) {
    this.rig = rig;
    this.config = config;
    this.description = rig.describe(config.robotId(), config.controlRateHz(), config.cameraRateHz());
  }

  public RobotDescription description() {
    return description;
  }

  public BridgeConfig config() {
    return config;
  }

  /**
   * How an episode is driven and kept, by name.
   *
   * @param recording where the episode is recorded (states at control rate, camera frames, task states,
   *     safety events), or null
   * @param operator operator frames in simulated time, or null for none
   * @param operatorRateHz how often {@code operator} is asked for a frame
   * @param unattended engage without an operator; else the operator's deadman governs motion, as on
   *     the live bridge
   */
  public record RunOptions(io.optimus.motion.record.EpisodeSink recording, OperatorFeed operator,
      double operatorRateHz, boolean unattended) {
    /** Engaged without an operator, as the bridge does for policy evaluation; nothing recorded. */
    public static final RunOptions UNATTENDED = new RunOptions(null, null, 0, true);

    /** Driven by an operator's frames at {@code rateHz}, whose deadman governs motion. */
    public static RunOptions withOperator(OperatorFeed operator, double rateHz) {
      return new RunOptions(null, operator, rateHz, false);
    }

    /** Recorded to {@code w}: one episode, or a sink that starts one later (a corrective segment). */
    public RunOptions recordingTo(io.optimus.motion.record.EpisodeSink w) {
      return new RunOptions(w, operator, operatorRateHz, unattended);
    }
  }

  /**
   * Runs one episode of the config's task with world seed {@code seed}, driven by {@code source}
   * (engaged unattended, as the bridge does for policy evaluation), until the task succeeds or
   * {@code timeoutS} of simulated time pass.
   */
  public Outcome run(ActionSource source, long seed, double timeoutS) {
    return run(source, seed, timeoutS, RunOptions.UNATTENDED);
  }

  /**
   * Runs one episode (as {@link #run(ActionSource, long, double, RunOptions)}) and records it to
   * {@code file}: {@code header} is completed with this robot, the world seed and the control rate;
   * the recording ends SUCCESS or FAILURE with {@code notes}. A recording that lost messages is an
   * error, never a silently thinner dataset.
   */
  public Outcome runRecorded(ActionSource source, long seed, double timeoutS, java.nio.file.Path file,
      io.optimus.proto.v1.EpisodeHeader.Builder header, RunOptions options, String notes) {
    var w = io.optimus.motion.record.EpisodeWriter.start(file,
        header.setRobot(description).setSeed(seed).setControlRateHz(config.controlRateHz()).build(),
        io.optimus.motion.record.EpisodeWriter.Options.defaults().withQueueCapacity(1 << 17), null,
        io.optimus.bridge.foxglove.FoxgloveSceneViews.factory(() -> config.task() == null ? null  // the 3D scene, as the bridge records it
            : io.optimus.bridge.foxglove.FoxgloveSceneViews.Table.of(new TaskWorld(config.robotId(), config.task(), seed,
                config.tableTop()))));
    Outcome out = run(source, seed, timeoutS, options.recordingTo(w));
    w.setTaskSuccess(out.success());
    var s = w.finish(out.success() ? io.optimus.proto.v1.EpisodeOutcome.EPISODE_OUTCOME_SUCCESS
        : io.optimus.proto.v1.EpisodeOutcome.EPISODE_OUTCOME_FAILURE, notes);
    if (!s.ok() || s.dropped() > 0) {
      throw new IllegalStateException("recording " + s.file() + " lost messages (" + s.dropped() + " dropped): "
          + s.error());
    }
    return out;
  }

  /**
   * Runs one episode of the config's task with world seed {@code seed} on a {@link SimulatedRobot}
   * stepped at the control rate, driven by {@code source} as {@code options} say, until the task
   * succeeds or {@code timeoutS} of simulated time pass.
   */
  public Outcome run(ActionSource source, long seed, double timeoutS, RunOptions options) {
    io.optimus.motion.record.EpisodeSink recording = options.recording();
    OperatorFeed operator = options.operator();
    Map<String, Integer> events = new TreeMap<>();
    int[] interventions = new int[1];
    io.optimus.proto.v1.TaskState[] lastTask = {null};
    int[] palms = {rig.left().palmLink(), rig.right().palmLink()};
    double[] closest = {Double.POSITIVE_INFINITY};
    ControlLoop.Output output = new ControlLoop.Output() {
      @Override
      public void state(io.optimus.proto.v1.JointState s) {
        if (recording != null) {
          recording.writeState(s);
        }
      }

      @Override
      public void task(io.optimus.proto.v1.TaskState t) {
        lastTask[0] = t;
        if (recording != null) {
          recording.writeTask(t);
        }
      }
    };
    SimulatedRobot robot = SimulatedRobot.builder(rig, config.withTask(config.task(), seed))
        .output(output)
        .stateEvery(recording != null ? config.stateEvery() : 1_000_000)
        .statusRateHz(0)
        .camera((frame, kin, view) -> {
          double[] c = view.cube().position;
          for (int p : palms) {
            if (p >= 0) {
              double dx = kin.linkPosition[3 * p] - c[0];
              double dy = kin.linkPosition[3 * p + 1] - c[1];
              double dz = kin.linkPosition[3 * p + 2] - c[2];
              closest[0] = Math.min(closest[0], Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
          }
          if (recording != null) {
            recording.writeCamera(frame);
          }
          if (source instanceof CameraListener policy) {
            policy.camera(frame); // wrist cameras reach a policy this way; the head's also through the loop
          }
        })
        .build();
    SafetySupervisor supervisor = robot.supervisor();
    supervisor.addListener((SafetyEvent e) -> {
      events.merge(e.getType().name().replace("SAFETY_EVENT_", ""), 1, Integer::sum);
      if (e.getSeverity() == SafetySeverity.SAFETY_SEVERITY_WARNING
          || e.getSeverity() == SafetySeverity.SAFETY_SEVERITY_CRITICAL) {
        interventions[0]++;
      }
    });
    if (recording != null) {
      supervisor.addListener(recording::writeSafetyEvent);
    }
    TaskWorld world = robot.objects();
    lastTask[0] = world.toProto();
    double[] measuredQ = new double[rig.dof()];
    long operatorPeriod = operator == null ? Long.MAX_VALUE : (long) (1e9 / options.operatorRateHz());
    long period = (long) (1e9 / config.controlRateHz());
    long start = 1_000_000_000L;
    long now = start;
    long nextOperator = now;
    long end = start + (long) (timeoutS * 1e9);
    robot.loop().setSource(source);
    if (options.unattended()) {
      supervisor.engageUnattended(now, "simulated evaluation of " + source.name());
    }
    double success = Double.NaN;
    boolean grasped = false;
    double restZ = world.cube().position[2];
    double maxLift = 0;
    try {
      while (now < end) {
        if (operator != null && now >= nextOperator) {
          robot.loop().snapshot(measuredQ);
          operator.measured(measuredQ);
          io.optimus.proto.v1.OperatorFrame f = operator.frameAt(now, lastTask[0]);
          if (f != null) {
            robot.inbox().offer(f, now);
          }
          nextOperator += operatorPeriod;
        }
        robot.step(now);
        grasped |= world.cube().held();
        maxLift = Math.max(maxLift, world.cube().position[2] - restZ);
        if (world.success()) {
          success = (now - start) / 1e9;
          break;
        }
        now += period;
      }
    } finally {
      robot.close();
    }
    double[] target = world.targetCentre();
    double toTarget = Math.hypot(world.cube().position[0] - target[0], world.cube().position[1] - target[1]);
    return new Outcome(seed, !Double.isNaN(success), success, (now - start) / 1e9, interventions[0], events,
        closest[0], grasped, maxLift, toTarget, world.graspAttempts(), world.firstAttemptDistanceM());
  }
}
