package io.optimus.engine.cli;

import io.optimus.cli.RobotOption;
import io.optimus.cli.TakeoverRuleOptions;
import io.optimus.cli.WorldOption;
import io.optimus.common.Json;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.bench.EngineBench;
import io.optimus.policy.engine.EngineRound;
import io.optimus.policy.train.RunConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optimus bench engine}: the starting policy, ROUNDS data-engine rounds, and the control arm that adds
 * the same frames as full scripted demonstrations; the per-round table on stderr, JSON on stdout.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = {"The data engine's benchmark: a starting policy trained on --demos scripted demonstrations, then"
        + " --rounds HG-DAgger rounds (supervised rollouts, corrective segments aggregated, retrained from scratch,"
        + " evaluated on the same held-out seeds), against the control arm that adds each round the same number of"
        + " frames as full scripted demonstrations. Prints the per-round table: episodes, interventions,"
        + " intervention frames, success, mean time to success. Resumable: finished runs and rounds in --work are"
        + " reused.",
        "Target (issue #22): +15 points of success after 2 rounds, ahead of the control arm. The defaults are small"
            + " (a few minutes on 2 cores); raise --demos, --episodes, --eval-episodes and --steps for figures."})
public final class BenchEngineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--work", paramLabel = "DIR", description = "Where everything goes (default: bench-engine-<time>).")
  Path work;

  @Option(names = "--task", defaultValue = "pick-place",
      description = "Task: pick-place, stack or handover (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--demos", defaultValue = "6", description = "Starting demonstrations (default: ${DEFAULT-VALUE}).")
  int demos;

  @Option(names = "--rounds", defaultValue = "2", description = "Engine rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--episodes", defaultValue = "6",
      description = "Supervised episodes per round (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--eval-episodes", defaultValue = "10",
      description = "Held-out evaluation episodes per policy (default: ${DEFAULT-VALUE}).")
  int evalEpisodes;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the demonstrations and rollouts.")
  long seed;

  @Option(names = "--eval-seed", defaultValue = "1000", description = "Seed of the held-out evaluation worlds.")
  long evalSeed;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "S",
      description = "Simulated seconds per rollout and evaluation episode (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Mixin TakeoverRuleOptions takeover;

  @Option(names = "--config", paramLabel = "FILE", description = "Training config (default: a small ACT on pixels).")
  Path config;

  @Option(names = "--steps", description = "Training steps per run (overrides the config).")
  Integer steps;

  @Option(names = "--demo-timeout", defaultValue = "45", paramLabel = "S",
      description = "Simulated seconds a scripted demonstration may take.")
  double demoTimeout;

  @Option(names = "--demo-fumbles", defaultValue = "0.3", paramLabel = "P",
      description = "Probability a scripted demonstration fumbles its first grasp (default: ${DEFAULT-VALUE}).")
  double demoFumbles;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Override
  public Integer call() {
    EngineThreads.configure(EngineThreads.INFERENCE);
    RunConfig cfg = config == null ? EngineBench.defaultConfig() : RunConfig.load(config);
    if (steps != null) {
      cfg = cfg.withSteps(steps);
    }
    EngineRound.Options round = new EngineRound.Options(robot.spec(), task, world.name(), episodes, seed, evalEpisodes,
        evalSeed, timeout, takeover.rule(), null);
    EngineBench.Options o = new EngineBench.Options(round, demos, rounds, demoTimeout, demoFumbles, cfg);
    Path dir = work != null ? work
        : Path.of("bench-engine-" + java.time.Instant.now().toString().replace(':', '-').replaceAll("\\..*", ""));
    EngineBench.Report r = EngineBench.run(dir, o, System.err);
    printTable(spec.commandLine().getErr(), r);
    spec.commandLine().getOut().println(Json.write(r));
    return 0;
  }

  static void printTable(java.io.PrintWriter err, EngineBench.Report r) {
    err.println();
    err.printf("%s, %s world%n", r.task(), r.world());
    err.println("arm     round  episodes  interventions  intervention frames  added frames  grasped  success       mean"
        + " time to success");
    for (EngineBench.Row x : r.rows()) {
      err.printf(Locale.ROOT, "%-6s  %5d  %8d  %13d  %19d  %12d  %7s  %3d/%-3d %3.0f%%  %s%n", x.arm(), x.round(),
          x.episodes(), x.interventions(), x.interventionFrames(), x.addedFrames(),
          x.grasped() == null ? "-" : x.grasped(), x.successes(), x.evalEpisodes(),
          100 * x.successRate(), x.meanTimeToSuccessS() == null ? "-"
              : String.format(Locale.ROOT, "%.1f s", x.meanTimeToSuccessS()));
    }
    err.printf(Locale.ROOT, "success after the last round vs the starting policy: engine %+.0f points, same frames as"
        + " demonstrations %+.0f points (target: engine +15 or more, ahead of the demonstrations)%n",
        r.gainEnginePoints(), r.gainDemosPoints());
  }
}
