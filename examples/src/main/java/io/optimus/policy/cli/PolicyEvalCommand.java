package io.optimus.policy.cli;

import io.optimus.cli.RobotOption;
import io.optimus.cli.WorldOption;
import io.optimus.common.Json;
import io.optimus.policy.eval.PolicyEvaluator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus policy eval}: closed-loop rollouts in the simulated task world; JSON on stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a trained policy in closed loop on the bridge's simulated robot and task world.",
        "The policy acts through the bridge's action-source interface and safety supervisor, in stepped"
            + " simulated time. Prints JSON: success rate, time to success, safety interventions, held-out"
            + " action error, inference time per step."})
public final class PolicyEvalCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "Trained policy run directory.")
  Path run;

  @Option(names = "--task", defaultValue = "pick-place",
      description = "Task world: pick-place, stack or handover (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--episodes", defaultValue = "50", description = "Episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "1", description = "Evaluation seed; episode worlds are drawn from it.")
  long seed;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "S",
      description = "Simulated seconds per episode before it counts as a failure (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Option(names = "--no-ensemble", description = "Execute the first action of each chunk (no temporal ensembling).")
  boolean noEnsemble;

  @Option(names = "--record", paramLabel = "DIR",
      description = "Record every rollout (states, every camera, task, safety events) into DIR as a dataset.")
  java.nio.file.Path record;

  @Option(names = "--per-episode", description = "Include every episode's outcome in the JSON.")
  boolean perEpisode;

  @Override
  public Integer call() {
    io.optimus.bridge.world.TaskWorld.checkTask(task);
    // One intra-op thread: a small policy gains nothing from more, and the cost per step stays on this thread.
    io.optimus.policy.EngineThreads.configure(io.optimus.policy.EngineThreads.INFERENCE);
    PolicyEvaluator.Report r = PolicyEvaluator.evaluate(run,
        new PolicyEvaluator.Options(robot.spec(), task, episodes, seed, timeout, !noEnsemble, record, world.name()),
        System.err);
    var node = Json.MAPPER.valueToTree(r);
    if (!perEpisode) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("perEpisode");
    }
    System.out.println(Json.write(node));
    return 0;
  }
}
