package io.optimus.policy.engine;

import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.policy.RunFiles;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TrainingReport;
import io.optimus.policy.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.optimus.teleop.scripted.TakeoverRule;

/**
 * One round of the data engine (HG-DAgger): the current policy drives seeded simulated episodes under the
 * scripted expert's supervision ({@link SupervisedRollouts}); the corrective segments are added to the
 * previous round's data (linked, not copied: {@link EngineRounds#aggregate}); a new policy is trained on
 * the whole and evaluated in closed loop on held-out seeds. Everything goes to
 * {@code DIR/rounds/round-K/{dataset,run,metrics.json}}; the first round also evaluates the starting policy
 * as round 0.
 *
 * <p>Each round trains <b>from scratch</b> with the starting run's config (same steps, same seed): the
 * normalizer is fitted to the aggregated data, and a round's gain is the data's, not more training steps
 * (fine-tuning would add both at once) — the control arm ({@code EngineBench}) is trained the same way.
 */
public final class EngineRound {
  private static final Logger LOG = LoggerFactory.getLogger(EngineRound.class);

  /**
   * @param episodes supervised episodes per round
   * @param seed round K's episodes draw their world (and expert) seeds from {@code seed * 1000 + K}
   * @param evalEpisodes closed-loop evaluation episodes of each round's policy
   * @param evalSeed the evaluation's seed: the same held-out worlds for every round
   * @param steps training steps (null: the starting run's)
   * @param labels what the supervised episodes add: corrective segments (HG-DAgger) or every state labelled
   *     by the expert (DAgger)
   */
  public record Options(String robot, String task, String world, int episodes, long seed, int evalEpisodes,
      long evalSeed, double timeoutS, TakeoverRule rule, Integer steps, SupervisedRollouts.Labels labels) {
    public Options(String robot, String task, String world, int episodes, long seed, int evalEpisodes,
        long evalSeed, double timeoutS, TakeoverRule rule, Integer steps) {
      this(robot, task, world, episodes, seed, evalEpisodes, evalSeed, timeoutS, rule, steps,
          SupervisedRollouts.Labels.CORRECTIONS);
    }

    public Options {
      java.util.Objects.requireNonNull(labels, "labels");
      TaskWorld.checkTask(task);
      SimulatedWorlds.check(world);
      if (episodes < 1) {
        throw new InputException("--episodes must be positive, got " + episodes);
      }
      if (evalEpisodes < 1) {
        throw new InputException("--eval-episodes must be positive, got " + evalEpisodes);
      }
      if (!(timeoutS > 0)) {
        throw new InputException("--timeout must be positive, got " + timeoutS);
      }
      if (steps != null && steps < 1) {
        throw new InputException("--steps must be positive, got " + steps);
      }
    }

    /** The seed round {@code round}'s episodes draw their worlds from. */
    public long roundSeed(int round) {
      return seed * 1000 + round;
    }

    PolicyEvaluator.Options evaluation() {
      return new PolicyEvaluator.Options(robot, task, evalEpisodes, evalSeed, timeoutS, true).withWorld(world);
    }
  }

  private EngineRound() {}

  /**
   * Runs the next round of the engine kept under {@code data} with {@code policy} as the current policy.
   *
   * @param data the starting dataset (the engine's rounds go under it)
   * @param progress where progress bars go (stderr in a CLI); null for none
   */
  public static RoundMetrics run(Path policy, Path data, Options o, PrintStream progress) {
    checkRun(policy);
    checkDataset(data);
    List<RoundMetrics> done = EngineRounds.list(data);
    if (done.isEmpty()) {
      done = List.of(start(policy, data, o, progress));
    }
    int k = done.get(done.size() - 1).round() + 1;
    Path previous = k == 1 ? data : Path.of(done.get(done.size() - 1).dataset());
    Path dir = EngineRounds.roundDir(data, k);
    EngineRounds.setAsideUnfinished(dir);
    long t0 = System.nanoTime();
    Path dataset = dir.resolve("dataset");
    say(progress, "round %d: %s drives %d supervised episodes (%s, %s world)", k, policy, o.episodes(), o.task(),
        o.world());
    SupervisedRollouts.Result rollouts = SupervisedRollouts.run(policy, new SupervisedRollouts.Options(o.robot(),
        o.task(), o.world(), o.episodes(), o.roundSeed(k), o.timeoutS(), o.rule(), o.labels()), dataset, "round-" + k + "-fix",
        progress);
    EngineRounds.aggregate(previous, dataset);
    String kind = o.labels() == SupervisedRollouts.Labels.EXPERT ? RoundMetrics.DAGGER : RoundMetrics.ENGINE;
    RoundMetrics m = trainAndEvaluate(k, kind, policy, dataset, dir, rollouts,
        new RoundMetrics.Added(rollouts.usableCorrections(), rollouts.usableFrames()), o, progress, t0);
    return m;
  }

  /** Round 0: the starting policy evaluated on the held-out seeds, on the starting dataset. */
  static RoundMetrics start(Path policy, Path data, Options o, PrintStream progress) {
    long t0 = System.nanoTime();
    say(progress, "round 0: evaluating the starting policy %s on %d held-out episodes", policy, o.evalEpisodes());
    List<EpisodeEntry> usable = EngineRounds.usable(data);
    PolicyEvaluator.Report ev = PolicyEvaluator.evaluate(policy, o.evaluation(), progress);
    RoundMetrics m = new RoundMetrics(0, RoundMetrics.START, o.task(), o.world(), policy.toString(), data.toString(),
        policy.toString(), usable.size(), EngineRounds.frames(usable), null, null, null, evaluation(ev, o), o.rule(),
        now(), (System.nanoTime() - t0) / 1e9);
    EngineRounds.write(EngineRounds.roundDir(data, 0), m);
    return m;
  }

  /**
   * Trains round {@code k}'s run from scratch on {@code dataset}, evaluates it, and keeps the metrics in
   * {@code dir} (the control arm of the benchmark trains its rounds with it too).
   */
  public static RoundMetrics trainAndEvaluate(int k, String kind, Path policy, Path dataset, Path dir,
      SupervisedRollouts.Result rollouts, RoundMetrics.Added added, Options o, PrintStream progress, long t0) {
    RunConfig cfg = RunConfig.loadRun(new RunFiles(policy).config());
    if (o.steps() != null) {
      cfg = cfg.withSteps(o.steps());
    }
    Path run = dir.resolve("run");
    List<EpisodeEntry> usable = EngineRounds.usable(dataset);
    say(progress, "round %d (%s): training from scratch on %d episodes (%d frames) -> %s", k, kind, usable.size(),
        EngineRounds.frames(usable), run);
    TrainingReport tr;
    try {
      tr = new TrainingRun(dataset.toString(), cfg, run).progress(progress).run();
    } catch (IOException e) {
      throw new UncheckedIOException("training round " + k + " into " + run + " failed", e);
    }
    say(progress, "round %d (%s): evaluating on %d held-out episodes", k, kind, o.evalEpisodes());
    PolicyEvaluator.Report ev = PolicyEvaluator.evaluate(run, o.evaluation(), progress);
    RoundMetrics m = new RoundMetrics(k, kind, o.task(), o.world(), policy.toString(), dataset.toString(),
        run.toString(), usable.size(), EngineRounds.frames(usable), rollouts, added,
        new RoundMetrics.Training("scratch", tr.steps(), tr.seconds(),
            tr.heldOut() == null ? null : tr.heldOut().overall()),
        evaluation(ev, o), o.rule(), now(), (System.nanoTime() - t0) / 1e9);
    EngineRounds.write(dir, m);
    LOG.info("round {} ({}): success {}/{}", k, kind, ev.successes(), ev.episodes());
    return m;
  }

  private static RoundMetrics.Evaluation evaluation(PolicyEvaluator.Report ev, Options o) {
    return new RoundMetrics.Evaluation(ev.episodes(), o.evalSeed(), o.timeoutS(), ev.successes(), ev.successRate(),
        ev.meanTimeToSuccessS(), ev.stages());
  }

  static void checkRun(Path run) {
    if (!Files.isDirectory(run)) {
      throw new InputException("--run " + run + ": no such policy run directory");
    }
    if (!Files.isRegularFile(new RunFiles(run).config())) {
      throw new InputException("--run " + run + ": not a trained policy run (no " + new RunFiles(run).config()
          .getFileName() + ")");
    }
  }

  static void checkDataset(Path data) {
    if (!Files.isDirectory(data)) {
      throw new InputException("--dataset " + data + ": no such dataset directory");
    }
    if (EngineRounds.usable(data).isEmpty()) {
      throw new InputException("--dataset " + data + ": no usable episodes (none recorded, or all failed or unreadable)");
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void say(PrintStream progress, String format, Object... args) {
    if (progress != null) {
      progress.printf(format + "%n", args);
    }
  }
}
