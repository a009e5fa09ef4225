package io.optimus.policy.bench;

import io.optimus.common.InputException;
import io.optimus.policy.RunFiles;
import io.optimus.policy.engine.EngineRound;
import io.optimus.policy.engine.EngineRounds;
import io.optimus.policy.engine.RoundMetrics;
import io.optimus.policy.engine.SupervisedRollouts;
import io.optimus.policy.eval.ScriptedDemos;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data engine's benchmark: a starting policy trained on a few scripted demonstrations, then
 * {@code rounds} engine rounds ({@link EngineRound}), against the control arm that adds, each round, the same
 * number of state frames as full scripted demonstrations instead of corrective segments (trained and
 * evaluated the same way: from scratch, the same config, the same held-out seeds). Resumable: finished
 * runs and rounds under the work directory are reused. Returns figures, prints nothing but progress.
 */
public final class EngineBench {
  /**
   * @param demos successful scripted demonstrations the starting policy learns from
   * @param demoTimeoutS simulated seconds a scripted demonstration may take
   * @param demoFumbles probability a scripted demonstration fumbles its first grasp (as {@code bench policy})
   * @param config the starting policy's training config (every round trains with it)
   */
  public record Options(EngineRound.Options round, int demos, int rounds, double demoTimeoutS, double demoFumbles,
      RunConfig config) {
    public Options {
      if (demos < 2) {
        throw new InputException("--demos must be at least 2, got " + demos);
      }
      if (rounds < 1) {
        throw new InputException("--rounds must be positive, got " + rounds);
      }
    }
  }

  /**
   * One line of the table: an arm's round (round 0: the starting policy, shared by both arms); {@code grasped}:
   * evaluation episodes in which the cube was grasped (progress short of success; null if not measured).
   */
  public record Row(String arm, int round, int episodes, int interventions, long interventionFrames,
      int addedEpisodes, long addedFrames, int datasetEpisodes, long datasetFrames, Integer grasped, int successes,
      int evalEpisodes, double successRate, Double meanTimeToSuccessS, String run) {
    static Row of(String arm, RoundMetrics m) {
      SupervisedRollouts.Result r = m.rollouts();
      return new Row(arm, m.round(), r == null ? 0 : r.episodes(), r == null ? 0 : r.interventions(),
          r == null ? 0 : r.interventionFrames(), m.added() == null ? 0 : m.added().episodes(),
          m.added() == null ? 0 : m.added().frames(), m.datasetEpisodes(), m.datasetFrames(),
          m.eval().stages() == null ? null : m.eval().stages().grasped(), m.eval().successes(),
          m.eval().episodes(), m.eval().successRate(), m.eval().meanTimeToSuccessS(), m.run());
    }
  }

  /**
   * @param gainEnginePoints success after the last engine round minus the starting policy's (percentage points)
   * @param gainDemosPoints the same for the control arm
   */
  public record Report(String work, String task, String world, List<Row> rows, double gainEnginePoints,
      double gainDemosPoints, double wallSeconds) {}

  private EngineBench() {}

  /**
   * The bench's default policy: an MLP over the joints and 16 keypoints (spatial soft-argmax) of a 32 x 32
   * colour grid of the head camera (no backbone), so that a round trains in minutes on two shared cores (a
   * small ACT on a 12 x 12 grid trained at 1.4 steps/s there; an MLP on the grid's pooled colour, which
   * cannot tell where the cube is, succeeded in 0 of 20 episodes before and after two rounds). Not the best
   * policy this project trains ({@code bench policy}'s is): a starting point with room to improve.
   */
  public static RunConfig defaultConfig() {
    io.optimus.policy.PolicyConfig policy = io.optimus.policy.PolicyConfig.builder()
        .model(new io.optimus.policy.mlp.MlpConfig(256, 3, true, new io.optimus.policy.model.Keypoints(16,
            io.optimus.policy.model.Keypoints.NONE.gain(), io.optimus.policy.model.Keypoints.SCALE)))
        .chunk(20).rateHz(50).encoder("pixels:32", 8).build();
    io.optimus.policy.train.TrainConfig train = io.optimus.policy.train.TrainConfig.builder().batchSize(64).steps(2000)
        .learningRate(1e-3).evalEvery(250).checkpointEvery(1000).build();
    return new RunConfig(policy, train);
  }

  public static Report run(Path work, Options o, PrintStream progress) {
    long t0 = System.nanoTime();
    EngineRound.Options r = o.round();
    Path demos = work.resolve("demos");
    int have = ensureDemos(demos, o, progress);
    if (have < 2) {
      throw new IllegalStateException("only " + have + " successful scripted demonstrations of " + r.task() + " in "
          + demos + " after " + 2 * o.demos() + " attempts: nothing to start from");
    }
    Path start = work.resolve("start-run");
    if (!Files.isRegularFile(new RunFiles(start).meta())) {
      say(progress, "starting policy: training on %d scripted demonstrations -> %s", have, start);
      try {
        new TrainingRun(demos.toString(), o.config(), start).progress(progress).run();
      } catch (IOException e) {
        throw new UncheckedIOException("training the starting policy into " + start + " failed", e);
      }
    }
    // the engine arm: its rounds live under the demonstrations
    Path policy = start;
    List<RoundMetrics> engine = new ArrayList<>(EngineRounds.list(demos));
    while (engine.isEmpty() || engine.get(engine.size() - 1).round() < o.rounds()) {
      EngineRound.run(engine.isEmpty() ? start : Path.of(engine.get(engine.size() - 1).run()),
          demos, r, progress);
      engine = new ArrayList<>(EngineRounds.list(demos));
    }
    // the control arm: the same frames, as full demonstrations
    Path control = work.resolve("control");
    List<RoundMetrics> plain = new ArrayList<>();
    Path previous = demos;
    for (int k = 1; k <= o.rounds(); k++) {
      Path dir = EngineRounds.roundDir(control, k);
      RoundMetrics m;
      if (Files.isRegularFile(dir.resolve(EngineRounds.METRICS))) {
        m = EngineRounds.read(dir.resolve(EngineRounds.METRICS));
      } else {
        EngineRounds.setAsideUnfinished(dir);
        long t = System.nanoTime();
        long frames = engine.get(k).added().frames();
        Path added = dir.resolve("added");
        RoundMetrics.Added a = recordFrames(added, frames, r.roundSeed(k) + 500_000, o, progress);
        Path dataset = dir.resolve("dataset");
        EngineRounds.aggregate(previous, dataset);
        EngineRounds.aggregate(added, dataset, "control-" + k + "-");
        m = EngineRound.trainAndEvaluate(k, RoundMetrics.DEMOS, start, dataset, dir, null, a, r, progress, t);
      }
      plain.add(m);
      previous = Path.of(m.dataset());
    }
    List<Row> rows = new ArrayList<>();
    rows.add(Row.of("start", engine.get(0)));
    for (int k = 1; k <= o.rounds(); k++) {
      rows.add(Row.of("engine", engine.get(k)));
      rows.add(Row.of("demos", plain.get(k - 1)));
    }
    double base = engine.get(0).eval().successRate();
    return new Report(work.toString(), r.task(), r.world(), rows,
        100 * (engine.get(o.rounds()).eval().successRate() - base),
        100 * (plain.get(o.rounds() - 1).eval().successRate() - base), (System.nanoTime() - t0) / 1e9);
  }

  /** Makes sure {@code dir} holds the demonstrations asked for, recording more; gives up after twice as many attempts. */
  private static int ensureDemos(Path dir, Options o, PrintStream progress) {
    EngineRound.Options r = o.round();
    int have = EngineRounds.usable(dirOrCreate(dir)).size();
    int attempts = 0;
    while (have < o.demos() && attempts < 2 * o.demos()) {
      int batch = Math.min(o.demos() - have, 2 * o.demos() - attempts);
      say(progress, "recording %d scripted demonstrations into %s (%d usable so far)", batch, dir, have);
      record(dir, batch, r.seed() * 7919 + attempts + 1, o, progress);
      attempts += batch;
      have = EngineRounds.usable(dir).size();
    }
    return have;
  }

  /**
   * Records full scripted demonstrations into {@code dir} until their usable state frames reach
   * {@code frames} (at least one more than needed is never recorded: the last one may overshoot).
   */
  private static RoundMetrics.Added recordFrames(Path dir, long frames, long seed, Options o, PrintStream progress) {
    dirOrCreate(dir);
    say(progress, "control: recording scripted demonstrations until they add %d frames", frames);
    int attempts = 0;
    long got = 0;
    int episodes = 0;
    while (got < frames) {
      if (attempts > 4 + 4 * frames / 1000) {
        throw new IllegalStateException("control arm: " + attempts + " scripted demonstrations gave only " + got
            + " of " + frames + " frames");
      }
      record(dir, 1, seed + attempts, o, null);
      attempts++;
      var usable = EngineRounds.usable(dir);
      episodes = usable.size();
      got = EngineRounds.frames(usable);
      if (progress != null) {
        progress.printf("\rcontrol demos %d (%d usable)  frames %d/%d   ", attempts, episodes, got, frames);
      }
    }
    if (progress != null && attempts > 0) {
      progress.println();
    }
    return new RoundMetrics.Added(episodes, got);
  }

  private static void record(Path dir, int episodes, long seed, Options o, PrintStream progress) {
    EngineRound.Options r = o.round();
    try {
      new ScriptedDemos(r.robot(), o.demoTimeoutS(), o.demoFumbles(), false).world(r.world())
          .record(dir, r.task(), episodes, seed, progress);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("recording scripted demonstrations into " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private static Path dirOrCreate(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static void say(PrintStream progress, String format, Object... args) {
    if (progress != null) {
      progress.printf(format + "%n", args);
    }
  }
}
