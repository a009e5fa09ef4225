package io.optimus.policy.eval;

import io.optimus.bridge.BridgeConfig;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.body.SimulatedBody;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.safety.CapsuleCollisionGuard;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.world.HeadCamera;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetySeverity;
import io.optimus.proto.v1.Timestamp;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bridge's simulated robot in stepped time: the same parts a {@link io.optimus.bridge.RobotBridge}
 * assembles (simulated body, safety supervisor with self-collision guard, task world, head camera,
 * control loop) and the same config values, but ticked by this class as fast as the CPU allows
 * instead of by a real-time thread, so 50 evaluation episodes take minutes and are reproducible.
 */
public final class SimulatedEpisodes {
  /** Operator frames in simulated time (a scripted operator), fed to the loop's inbox; null for none. */
  @FunctionalInterface
  public interface OperatorFeed {
    /** The frame at simulated monotonic time {@code nowNs}, given the latest task state; null for none. */
    io.optimus.proto.v1.OperatorFrame frameAt(long nowNs, io.optimus.proto.v1.TaskState task);
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
   * Runs one episode of the config's task with world seed {@code seed}, driven by {@code source}
   * (engaged unattended, as the bridge does for policy evaluation), until the task succeeds or
   * {@code timeoutS} of simulated time pass.
   */
  public Outcome run(ActionSource source, long seed, double timeoutS) {
    return run(source, seed, timeoutS, null, null, 0, true);
  }

  /**
   * Runs one episode (as {@link #run(ActionSource, long, double, io.optimus.motion.record.EpisodeWriter,
   * OperatorFeed, double, boolean)}) and records it to {@code file}: {@code header} is completed with
   * this robot, the world seed and the control rate; the recording ends SUCCESS or FAILURE with
   * {@code notes}. A recording that lost messages is an error, never a silently thinner dataset.
   */
  public Outcome runRecorded(ActionSource source, long seed, double timeoutS, java.nio.file.Path file,
      io.optimus.proto.v1.EpisodeHeader.Builder header, OperatorFeed operator, double operatorRateHz,
      boolean unattended, String notes) {
    var w = io.optimus.motion.record.EpisodeWriter.start(file,
        header.setRobot(description).setSeed(seed).setControlRateHz(config.controlRateHz()).build(),
        io.optimus.motion.record.EpisodeWriter.Options.defaults().withQueueCapacity(1 << 17), null);
    Outcome out = run(source, seed, timeoutS, w, operator, operatorRateHz, unattended);
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
   * As {@link #run(ActionSource, long, double)}, optionally recording the episode (states at control
   * rate, camera frames, task states, safety events) and feeding operator frames at
   * {@code operatorRateHz}; {@code unattended} engages without an operator (else the operator's
   * deadman governs motion, as on the live bridge).
   */
  public Outcome run(ActionSource source, long seed, double timeoutS, io.optimus.motion.record.EpisodeWriter recording,
      OperatorFeed operator, double operatorRateHz, boolean unattended) {
    double[] home = rig.home();
    SimulatedBody body = new SimulatedBody(description, home);
    SafetyConfig sc = SafetyConfig.DEFAULT;
    SafetySupervisor supervisor = new SafetySupervisor(config.robotId(), new JointLimitTable(description.getJointsList(), sc),
        sc, home, home);
    supervisor.setCollisionGuard(new CapsuleCollisionGuard(rig, 0.01));
    Map<String, Integer> events = new TreeMap<>();
    int[] interventions = new int[1];
    supervisor.addListener((SafetyEvent e) -> {
      events.merge(e.getType().name().replace("SAFETY_EVENT_", ""), 1, Integer::sum);
      if (e.getSeverity() == SafetySeverity.SAFETY_SEVERITY_WARNING
          || e.getSeverity() == SafetySeverity.SAFETY_SEVERITY_CRITICAL) {
        interventions[0]++;
      }
    });
    TaskWorld world = new TaskWorld(config.robotId(), config.task(), seed, config.tableTop());
    if (recording != null) {
      supervisor.addListener(recording::writeSafetyEvent);
    }
    io.optimus.proto.v1.TaskState[] lastTask = {world.toProto()};
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
    OperatorInbox inbox = new OperatorInbox();
    ControlLoop loop = new ControlLoop(config.robotId(), config.controlRateHz(), rig, body, supervisor, inbox,
        world, output, recording != null ? config.stateEvery() : 1_000_000, config.taskRateHz(), 0);
    long operatorPeriod = operator == null ? Long.MAX_VALUE : (long) (1e9 / operatorRateHz);
    HeadCamera camera = config.cameraRateHz() > 0 && rig.cameraLink() >= 0 ? new HeadCamera(rig, config.robotId()) : null;
    KinematicsData kin = rig.kinematics().newData();
    rig.placeBase(kin);
    long period = (long) (1e9 / config.controlRateHz());
    long cameraPeriod = camera == null ? Long.MAX_VALUE : (long) (1e9 / config.cameraRateHz());
    long start = 1_000_000_000L;
    long now = start;
    long nextCamera = now;
    long nextOperator = now;
    long cameraSeq = 0;
    long end = start + (long) (timeoutS * 1e9);
    loop.setSource(source);
    if (unattended) {
      supervisor.engageUnattended(now, "simulated evaluation of " + source.name());
    }
    double success = Double.NaN;
    double closest = Double.POSITIVE_INFINITY;
    boolean grasped = false;
    double restZ = world.cube().position[2];
    double maxLift = 0;
    int[] palms = {rig.left().palmLink(), rig.right().palmLink()};
    try {
      while (now < end) {
        if (now >= nextCamera) {
          loop.snapshot(kin.q);
          rig.kinematics().forward(kin);
          io.optimus.proto.v1.CameraFrame frame = camera.render(kin, world, ++cameraSeq,
              Timestamp.newBuilder().setMonotonicNs(now).setWallNs(now).build());
          loop.setCamera(frame);
          for (int p : palms) {
            if (p >= 0) {
              double[] c = world.cube().position;
              double dx = kin.linkPosition[3 * p] - c[0];
              double dy = kin.linkPosition[3 * p + 1] - c[1];
              double dz = kin.linkPosition[3 * p + 2] - c[2];
              closest = Math.min(closest, Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
          }
          if (recording != null) {
            recording.writeCamera(frame);
          }
          nextCamera += cameraPeriod;
        }
        if (operator != null && now >= nextOperator) {
          io.optimus.proto.v1.OperatorFrame f = operator.frameAt(now, lastTask[0]);
          if (f != null) {
            inbox.offer(f, now);
          }
          nextOperator += operatorPeriod;
        }
        loop.tick(now);
        grasped |= world.cube().held();
        maxLift = Math.max(maxLift, world.cube().position[2] - restZ);
        if (world.success()) {
          success = (now - start) / 1e9;
          break;
        }
        now += period;
      }
    } finally {
      loop.close();
    }
    double[] target = world.targetCentre();
    double toTarget = Math.hypot(world.cube().position[0] - target[0], world.cube().position[1] - target[1]);
    return new Outcome(seed, !Double.isNaN(success), success, (now - start) / 1e9, interventions[0], events,
        closest, grasped, maxLift, toTarget, world.graspAttempts(), world.firstAttemptDistanceM());
  }
}
