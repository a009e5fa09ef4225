package io.optimus.policy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.Dataset;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.policy.RunFiles;
import io.optimus.policy.report.RunEvaluations;
import io.optimus.policy.report.RunReport;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed-loop evaluation of a trained policy on the bridge's simulated robot and task world: the
 * policy acts through the bridge's action-source interface and every command passes the safety
 * supervisor. Episode world seeds are drawn from the evaluation seed.
 */
public final class PolicyEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluator.class);
  /** What {@code optimus policy eval} prints. */
  public record Report(String run, String task, String robot, String world, int episodes, long seed, double successRate,
      int successes, Double meanTimeToSuccessS, Double medianTimeToSuccessS, int safetyInterventions,
      double safetyInterventionsPerEpisode, Map<String, Integer> safetyEventsByType, Stages stages,
      JsonNode heldOutActionError,
      Inference inference, double wallSeconds, List<SimulatedEpisodes.Outcome> perEpisode) {}

  /**
   * How far the episodes got, to tell a policy that never finds the cube from one that drops it: a palm
   * within grasp reach of the cube, the cube grasped, lifted 2 cm, and succeeded; and of the episodes
   * whose first closing of a hand was out of reach of the cube, how many grasped it later.
   */
  public record Stages(int reachedCube, int grasped, int lifted, int succeeded, int missedFirstGrasp,
      int graspedAfterMiss, FailedAt failedAt) {
    /** Without the failure stages (figures saved before they existed read this way too: failedAt null). */
    public Stages(int reachedCube, int grasped, int lifted, int succeeded, int missedFirstGrasp, int graspedAfterMiss) {
      this(reachedCube, grasped, lifted, succeeded, missedFirstGrasp, graspedAfterMiss, null);
    }
  }

  /**
   * Where each failed episode stopped, the first stage it did not pass (the counts add up to the
   * failures): {@code reach} no palm came within grasp reach of the cube; {@code closure} one did but
   * the cube was never held; {@code lift} held but never 2 cm up; {@code carry} lifted but the cube
   * ended outside the target area (dropped or set down elsewhere); {@code place} lifted and the cube
   * ended in the area but the task's goal did not hold (released badly, still held, tipped).
   */
  public record FailedAt(int reach, int closure, int lift, int carry, int place) {
    static FailedAt of(List<SimulatedEpisodes.Outcome> outcomes, double targetRadiusM) {
      int[] n = new int[5];
      for (SimulatedEpisodes.Outcome o : outcomes) {
        if (!o.success()) {
          n[stage(o, targetRadiusM)]++;
        }
      }
      return new FailedAt(n[0], n[1], n[2], n[3], n[4]);
    }

    /** 0 reach, 1 closure, 2 lift, 3 carry, 4 place. */
    static int stage(SimulatedEpisodes.Outcome o, double targetRadiusM) {
      if (!(o.closestPalmToCubeM() <= TaskWorld.GRASP_RADIUS) && !o.grasped()) {
        return 0;
      }
      if (!o.grasped()) {
        return 1;
      }
      if (o.maxLiftM() < LIFT_M) {
        return 2;
      }
      return o.finalCubeToTargetM() > targetRadiusM ? 3 : 4;
    }
  }

  /** How high a held cube must rise to count as lifted (m). */
  static final double LIFT_M = 0.02;
  /** Horizontal distance from the target's centre within which a cube counts as in the area (m). */
  static final double TARGET_RADIUS_M = 0.07;

  /**
   * Inference time per policy step on this CPU (ms): the network's wall time, its thread CPU time
   * (the cost, free of waiting for a core on a shared machine), and the image encodings amortized.
   */
  public record Inference(int steps, double policyStepMsP50, double policyStepMsP99, double policyStepCpuMsP50,
      double policyStepCpuMsP99, int imagesEncoded, double encodeMsP50, double meanTotalMsPerStep) {}

  /**
   * @param record where to write each rollout as an episode recording (null: nowhere)
   * @param world the simulated world by name ({@link SimulatedWorlds})
   */
  public record Options(String robot, String task, int episodes, long seed, double timeoutS, boolean ensemble,
      Path record, String world) {
    public Options(String robot, String task, int episodes, long seed, double timeoutS, boolean ensemble) {
      this(robot, task, episodes, seed, timeoutS, ensemble, null);
    }

    public Options(String robot, String task, int episodes, long seed, double timeoutS, boolean ensemble,
        Path record) {
      this(robot, task, episodes, seed, timeoutS, ensemble, record, SimulatedWorlds.DEFAULT);
    }

    public Options withWorld(String w) {
      return new Options(robot, task, episodes, seed, timeoutS, ensemble, record, w);
    }

    public Options {
      if (episodes < 1) {
        throw new InputException("--episodes must be positive, got " + episodes);
      }
      if (!(timeoutS > 0)) {
        throw new InputException("--timeout must be positive, got " + timeoutS);
      }
      SimulatedWorlds.check(world);
    }
  }

  private PolicyEvaluator() {}

  public static RobotRig rig(String robot) {
    return new RobotRig(Robots.load(robot));
  }

  public static Report evaluate(Path run, Options o, PrintStream progress) {
    RobotRig rig = rig(o.robot());
    BridgeConfig config = BridgeConfig.defaults("eval").withTask(o.task(), o.seed()).withUnattended(true)
        .withWorld(o.world());
    SimulatedEpisodes sim = new SimulatedEpisodes(rig, config);
    List<String> joints = sim.description().getJointsList().stream().map(JointInfo::getName).toList();
    long t0 = System.nanoTime();
    try (LearnedPolicy policy = LearnedPolicy.load(run, joints, rig.cameraWidth(), o.ensemble())
        .clampTo(sim.description())) {
      if (o.record() != null) {
        createDirectories(o.record());
      }
      SplittableRandom seeds = new SplittableRandom(o.seed());
      List<SimulatedEpisodes.Outcome> outcomes = new ArrayList<>();
      for (int e = 0; e < o.episodes(); e++) {
        SteppedPolicySource source = new SteppedPolicySource(policy, rig.dof(), config.controlRateHz());
        long worldSeed = seeds.nextLong() & Long.MAX_VALUE;
        SimulatedEpisodes.Outcome out;
        if (o.record() == null) {
          out = sim.run(source, worldSeed, o.timeoutS());
        } else {
          String id = String.format("eval-%05d", e);
          out = sim.runRecorded(source, worldSeed, o.timeoutS(), o.record().resolve(id + ".mcap"),
              EpisodeHeader.newBuilder().setEpisodeId(id).setRobotId(sim.config().robotId()).setTask(o.task())
                  .setOperatorId("policy").setSourceKind(EpisodeSourceKind.EPISODE_SOURCE_KIND_POLICY)
                  .setSource(source.name()),
              SimulatedEpisodes.RunOptions.UNATTENDED, "policy " + run + ", world seed " + worldSeed);
        }
        outcomes.add(out);
        if (progress != null) {
          long ok = outcomes.stream().filter(SimulatedEpisodes.Outcome::success).count();
          double el = (System.nanoTime() - t0) / 1e9;
          long grasped = outcomes.stream().filter(SimulatedEpisodes.Outcome::grasped).count();
          progress.printf("\reval %d/%d episodes  success %d (%.0f%%)  grasped %d  %.1f s/episode  ETA %.0f s   ",
              e + 1, o.episodes(), ok, 100.0 * ok / (e + 1), grasped, el / (e + 1),
              el / (e + 1) * (o.episodes() - e - 1));
          if (e + 1 == o.episodes()) {
            progress.println();
          }
        }
      }
      if (o.record() != null) {
        Dataset.refreshIndex(o.record());
      }
      var timer = policy.timer();
      Inference inf = new Inference(timer.steps(), timer.stepMs(50), timer.stepMs(99), timer.stepCpuMs(50),
          timer.stepCpuMs(99), timer.encodes(), timer.encodeMs(50), timer.meanMsPerStep());
      Report r = report(run, o, outcomes, heldOut(run), inf, (System.nanoTime() - t0) / 1e9);
      addToRunReport(run, r, o);
      return r;
    }
  }

  /**
   * Keeps the evaluation in the run ({@code evaluations.jsonl}) and rebuilds its report. A run that
   * cannot be written to (read-only) is still evaluated: the result is printed all the same.
   */
  static void addToRunReport(Path run, Report r, Options o) {
    RunFiles files = new RunFiles(run);
    try {
      RunEvaluations.append(files, new RunEvaluations.Evaluation(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
          o.task(), o.world(), o.robot(), r.episodes(), r.successes(), r.successRate(), o.seed(), o.timeoutS()));
      RunReport.write(files);
    } catch (IOException | InputException e) {
      LOG.warn("evaluation of {} not added to its report: {}", run, e.getMessage());
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException("cannot record evaluation episodes into " + dir, ex);
    }
  }

  static Report report(Path run, Options o, List<SimulatedEpisodes.Outcome> outcomes, JsonNode heldOut, Inference inf,
      double wall) {
    int successes = 0;
    int interventions = 0;
    Map<String, Integer> byType = new TreeMap<>();
    List<Double> times = new ArrayList<>();
    int reached = 0;
    int grasped = 0;
    int lifted = 0;
    int missed = 0;
    int recovered = 0;
    for (SimulatedEpisodes.Outcome out : outcomes) {
      reached += out.closestPalmToCubeM() <= TaskWorld.GRASP_RADIUS ? 1 : 0;
      grasped += out.grasped() ? 1 : 0;
      lifted += out.maxLiftM() >= LIFT_M ? 1 : 0;
      boolean missedFirst = out.graspAttempts() > 0 && out.firstAttemptToCubeM() > TaskWorld.GRASP_RADIUS;
      missed += missedFirst ? 1 : 0;
      recovered += missedFirst && out.grasped() ? 1 : 0;
      if (out.success()) {
        successes++;
        times.add(out.timeToSuccessS());
      }
      interventions += out.interventions();
      out.eventsByType().forEach((k, v) -> byType.merge(k, v, Integer::sum));
    }
    double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Double mean = t.length == 0 ? null : Arrays.stream(t).average().orElseThrow();
    Double median = t.length == 0 ? null : (t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2);
    return new Report(run.toString(), o.task(), o.robot(), o.world(), outcomes.size(), o.seed(), (double) successes / outcomes.size(),
        successes, mean, median, interventions, (double) interventions / outcomes.size(), byType,
        new Stages(reached, grasped, lifted, successes, missed, recovered, FailedAt.of(outcomes, TARGET_RADIUS_M)),
        heldOut, inf, wall,
        outcomes);
  }

  /** The held-out action error the trainer measured (null if the run has none). */
  static JsonNode heldOut(Path run) {
    Path metrics = new RunFiles(run).metrics();
    if (!Files.isRegularFile(metrics)) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(metrics.toFile()).get("heldOut");
      return n == null || n.isNull() ? null : n;
    } catch (IOException e) {
      throw new InputException("policy run " + run + ": unreadable " + metrics + ": " + e.getMessage(), e);
    }
  }
}
