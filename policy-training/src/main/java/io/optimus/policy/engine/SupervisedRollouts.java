package io.optimus.policy.engine;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.InputException;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.eval.SimulatedEpisodes;
import io.optimus.policy.eval.SteppedPolicySource;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import io.optimus.teleop.scripted.TakeoverRule;

/**
 * HG-DAgger's data collection: the learner drives seeded simulated episodes (stepped time, the bridge's
 * control loop and safety supervisor) under a {@link ScriptedExpert}'s supervision ({@link SupervisedSource});
 * each episode the expert took over is kept as a corrective segment, from the takeover to the end,
 * recorded as an episode of its own (tagged {@code intervention}) into a dataset directory. With
 * {@link Labels#EXPERT} (DAgger) every episode is kept whole instead, the learner's states labelled with
 * the expert's command.
 */
public final class SupervisedRollouts {
  /** Tag keys of a corrective segment's episode header. */
  public static final String TAG_INTERVENTION = "intervention";
  public static final String TAG_REASON = "takeover_reason";
  public static final String TAG_AT = "takeover_at_s";
  public static final String TAG_POLICY = "policy";

  /**
   * @param seed the world seeds (and the expert's) of the episodes are drawn from it
   * @param timeoutS simulated seconds per episode
   */
  public record Options(String robot, String task, String world, int episodes, long seed, double timeoutS,
      TakeoverRule rule, Labels labels) {
    public Options(String robot, String task, String world, int episodes, long seed, double timeoutS,
        TakeoverRule rule) {
      this(robot, task, world, episodes, seed, timeoutS, rule, Labels.CORRECTIONS);
    }

    public Options {
      java.util.Objects.requireNonNull(labels, "labels");
      if (episodes < 1) {
        throw new InputException("--episodes must be positive, got " + episodes);
      }
      if (!(timeoutS > 0)) {
        throw new InputException("--timeout must be positive, got " + timeoutS);
      }
      SimulatedWorlds.check(world);
    }
  }

  /** What a round keeps of its supervised episodes. */
  public enum Labels {
    /** HG-DAgger: the expert's corrective segment from its takeover on ({@link CorrectiveRecording}). */
    CORRECTIONS,
    /**
     * DAgger: every episode whole, each state the learner visited labelled with the expert's command there
     * ({@link ExpertLabelledRecording}), the expert's own drive after a takeover as it is.
     */
    EXPERT;

    /** The CLI's spelling. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Labels parse(String s) {
      for (Labels l : values()) {
        if (l.id().equals(s)) {
          return l;
        }
      }
      throw new InputException("--labels must be corrections or expert, not '" + s + "'");
    }
  }

  /**
   * One supervised episode: did the expert take over (when, why), did the episode end with the task done,
   * and the corrective segment's file and state frames (null, 0 without a takeover).
   */
  public record Episode(int index, long worldSeed, boolean tookOver, Double takeoverAtS, String reason,
      boolean success, double durationS, String file, long frames, double maxDeviationM) {
    /** The learner did it alone. */
    public boolean learnerSucceeded() {
      return success && !tookOver;
    }
  }

  /**
   * @param interventions episodes the expert took over
   * @param interventionFrames state frames recorded: of all corrective segments (with {@link Labels#EXPERT}: of
   *     whole episodes)
   * @param usableCorrections recordings training uses: corrective segments that ended with the task done (with
   *     {@link Labels#EXPERT}: every episode)
   * @param usableFrames their state frames
   */
  public record Result(int episodes, int interventions, long interventionFrames, int usableCorrections,
      long usableFrames, int learnerSuccesses, int successes, double wallSeconds, List<Episode> perEpisode) {}

  private SupervisedRollouts() {}

  /** The policy of training run {@code run}, supervised; corrective segments into {@code into}, named {@code prefix-NNNNN}. */
  public static Result run(Path run, Options o, Path into, String prefix, PrintStream progress) {
    RobotRig rig = PolicyEvaluator.rig(o.robot());
    SimulatedEpisodes sim = simulation(rig, o);
    List<String> joints = sim.description().getJointsList().stream().map(JointInfo::getName).toList();
    try (LearnedPolicy policy = LearnedPolicy.load(run, joints, rig.cameraWidth(), true).clampTo(sim.description())) {
      return run(() -> new SteppedPolicySource(policy, rig.dof(), sim.config().controlRateHz()), run.toString(), rig,
          sim, o, into, prefix, progress);
    }
  }

  /** Any learner (a fresh source per episode), supervised; {@code learnerName} goes into the recordings. */
  public static Result run(Supplier<ActionSource> learner, String learnerName, Options o, Path into, String prefix,
      PrintStream progress) {
    RobotRig rig = PolicyEvaluator.rig(o.robot());
    return run(learner, learnerName, rig, simulation(rig, o), o, into, prefix, progress);
  }

  private static SimulatedEpisodes simulation(RobotRig rig, Options o) {
    return new SimulatedEpisodes(rig, BridgeConfig.defaults("engine-bot").withTask(o.task(), o.seed())
        .withUnattended(true).withWorld(o.world()));
  }

  private static Result run(Supplier<ActionSource> learner, String learnerName, RobotRig rig, SimulatedEpisodes sim,
      Options o, Path into, String prefix, PrintStream progress) {
    try {
      Files.createDirectories(into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the round dataset " + into, e);
    }
    boolean standing = !o.world().equals(SimulatedWorlds.PHYSICS);
    SplittableRandom seeds = new SplittableRandom(o.seed());
    List<Episode> episodes = new ArrayList<>();
    long t0 = System.nanoTime();
    int interventions = 0;
    int learnerOk = 0;
    int ok = 0;
    long frames = 0;
    int usable = 0;
    long usableFrames = 0;
    for (int e = 0; e < o.episodes(); e++) {
      long worldSeed = seeds.nextLong() & Long.MAX_VALUE;
      long expertSeed = seeds.nextLong();
      String id = String.format("%s-%05d", prefix, e);
      Path file = into.resolve(id + Dataset.EXTENSION);
      ScriptedExpert expert = new ScriptedExpert(rig, o.task(), expertSeed, standing);
      SupervisedSource source = new SupervisedSource(learner.get(), expert, o.rule(), rig.dof(),
          o.labels() == Labels.EXPERT);
      EpisodeHeader.Builder header = EpisodeHeader.newBuilder().setEpisodeId(id)
          .setRobotId(sim.config().robotId()).setRobot(sim.description()).setTask(o.task()).setSeed(worldSeed)
          .setControlRateHz(sim.config().controlRateHz()).setOperatorId("expert")
          .setSourceKind(EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED).setSource(expert.name())
          .putTags(TAG_POLICY, learnerName);
      SimulatedEpisodes.Outcome out;
      EpisodeSummary s;
      long recorded;
      if (o.labels() == Labels.EXPERT) {
        ExpertLabelledRecording all = new ExpertLabelledRecording(file, header
            .putTags(EpisodeEntry.LABELS_TAG, EpisodeEntry.EXPERT_LABELS).build(), source, rig.dof());
        source.listener(all::tookOver);
        try (source) {
          out = sim.run(source, worldSeed, o.timeoutS(), SimulatedEpisodes.RunOptions.UNATTENDED.recordingTo(all));
        }
        s = all.finish(out.success(), "learner " + learnerName + " under " + expert.name() + ", every state labelled"
            + " with the expert's command" + (source.tookOver() ? "; it took over (" + source.reason() + ")" : "")
            + ", world seed " + worldSeed);
        recorded = all.states();
      } else {
        CorrectiveRecording segment = new CorrectiveRecording();
        source.listener((nowNs, why) -> segment.start(file, header.putTags(TAG_INTERVENTION, "true")
            .putTags(TAG_REASON, why).putTags(TAG_AT, Double.toString((nowNs - START_NS) / 1e9)).build(), nowNs, why));
        try (source) {
          out = sim.run(source, worldSeed, o.timeoutS(), SimulatedEpisodes.RunOptions.UNATTENDED.recordingTo(segment));
        }
        s = segment.finish(out.success(), "corrective segment: " + expert.name() + " took over from "
            + learnerName + " (" + source.reason() + "), world seed " + worldSeed);
        recorded = segment.states();
      }
      Episode ep = new Episode(e, worldSeed, source.tookOver(),
          source.tookOver() ? (source.takeoverNs() - START_NS) / 1e9 : null, source.reason(), out.success(),
          out.durationS(), s == null ? null : s.file().getFileName().toString(), recorded,
          source.maxDeviationM());
      episodes.add(ep);
      interventions += ep.tookOver() ? 1 : 0;
      frames += ep.frames();
      if (o.labels() == Labels.EXPERT ? ep.file() != null : ep.tookOver() && ep.success()) {
        usable++;
        usableFrames += ep.frames();
      }
      learnerOk += ep.learnerSucceeded() ? 1 : 0;
      ok += ep.success() ? 1 : 0;
      if (progress != null) {
        double el = (System.nanoTime() - t0) / 1e9;
        progress.printf("\rsupervised %d/%d episodes  takeovers %d  corrective frames %d  policy alone %d  %.1f s"
            + "/episode  ETA %.0f s   ", e + 1, o.episodes(), interventions, frames, learnerOk, el / (e + 1),
            el / (e + 1) * (o.episodes() - e - 1));
        if (e + 1 == o.episodes()) {
          progress.println();
        }
      }
    }
    Dataset.refreshIndex(into);
    return new Result(episodes.size(), interventions, frames, usable, usableFrames, learnerOk, ok,
        (System.nanoTime() - t0) / 1e9, episodes);
  }

  /** Where {@link SimulatedEpisodes} starts an episode's simulated clock. */
  static final long START_NS = 1_000_000_000L;
}
