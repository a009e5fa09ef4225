package io.optimus.policy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code optimus policy}: mimicry policies — train, evaluate, deploy. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Mimicry policies: train, evaluate, deploy.",
    subcommands = {PolicyTrainCommand.class, PolicyEvalCommand.class, PolicyDeployCommand.class})
public final class PolicyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}
