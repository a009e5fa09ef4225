package io.optimus.engine.cli;

import io.optimus.cli.RobotOption;
import io.optimus.cli.TakeoverRuleOptions;
import io.optimus.cli.WorldOption;
import io.optimus.common.Json;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.engine.EngineRound;
import io.optimus.policy.engine.EngineRounds;
import io.optimus.policy.engine.RoundMetrics;
import io.optimus.policy.engine.SupervisedRollouts;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code optimus engine round}: one HG-DAgger round of the data engine in simulation; JSON on stdout. */
@Command(name = "round", mixinStandardHelpOptions = true,
    description = {"One round of the data engine (HG-DAgger) in simulation: the policy RUN drives seeded episodes,"
        + " the scripted operator of the task supervises and takes over when the policy strays (a palm more than"
        + " --takeover-margin from where the expert's command would put it, for --takeover-dwell), stalls (the task got no further for"
        + " --takeover-stall) or makes no progress (the expert's own plan ended with the task not done), and drives to the end. Its corrective segments are recorded as"
        + " intervention episodes, added to the previous round's data (DIR for the first), a new policy is trained"
        + " from scratch with RUN's config on the whole, and evaluated on held-out seeds.",
        "Kept: DIR/rounds/round-K/{dataset,run,metrics.json} (round 0: the starting policy's evaluation)."
            + " Prints the round's metrics as JSON; the table of all rounds goes to stderr."})
public final class EngineRoundCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN", description = "The current policy (a training run).")
  Path run;

  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "The starting dataset; the rounds are kept under DIR/rounds.")
  Path dataset;

  @Option(names = "--task", defaultValue = "pick-place",
      description = "Task: pick-place, stack or handover (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--episodes", defaultValue = "10", description = "Supervised episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "1",
      description = "Round K's episodes draw their worlds from SEED*1000+K (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--eval-episodes", defaultValue = "20",
      description = "Held-out evaluation episodes (default: ${DEFAULT-VALUE}).")
  int evalEpisodes;

  @Option(names = "--eval-seed", defaultValue = "1000",
      description = "Evaluation seed: the same held-out worlds every round (default: ${DEFAULT-VALUE}).")
  long evalSeed;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "S",
      description = "Simulated seconds per episode (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Mixin TakeoverRuleOptions takeover;

  @Option(names = "--steps", description = "Training steps (default: RUN's).")
  Integer steps;

  @Option(names = "--labels", defaultValue = "corrections", paramLabel = "corrections|expert",
      description = {"What the supervised episodes add to the data: corrections (HG-DAgger: the expert's segment from"
          + " its takeover, kept when it finished the task) or expert (DAgger: every episode whole, each state the"
          + " policy reached labelled with the expert's command there; kept whatever the outcome)"
          + " (default: ${DEFAULT-VALUE})."})
  String labels;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Override
  public Integer call() {
    EngineThreads.configure(EngineThreads.INFERENCE);
    EngineRound.Options o = new EngineRound.Options(robot.spec(), task, world.name(), episodes, seed, evalEpisodes,
        evalSeed, timeout, takeover.rule(), steps, SupervisedRollouts.Labels.parse(labels));
    RoundMetrics m = EngineRound.run(run, dataset, o, System.err);
    EngineRoundsCommand.printTable(spec.commandLine().getErr(), EngineRounds.list(dataset));
    spec.commandLine().getOut().println(Json.write(m));
    return 0;
  }
}
