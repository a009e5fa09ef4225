package io.optimus.perception.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code optimus perception}: train and evaluate the shared backbone on procedural driving scenes. */
@Command(name = "perception", mixinStandardHelpOptions = true,
    description = "The shared perception backbone: train and evaluate on procedural driving scenes.",
    subcommands = {PerceptionTrainCommand.class, PerceptionEvalCommand.class})
public final class PerceptionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}
