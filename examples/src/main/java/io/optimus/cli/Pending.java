package io.optimus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/** A command whose module has not shipped it yet: says so and which issue tracks it, exits 1. */
final class Pending {
  private Pending() {}

  static CommandLine command(String name, String description, int issue) {
    Callable<Integer> notYet = () -> {
      System.err.println("optimus " + name + ": not in this build yet (tracked as issue #" + issue + ")");
      return OptimusCli.EXIT_FAILURE;
    };
    CommandSpec spec = CommandSpec.wrapWithoutInspection(notYet).name(name).mixinStandardHelpOptions(true);
    spec.usageMessage(new UsageMessageSpec().description(description, "(Not in this build yet: issue #" + issue + ".)"));
    CommandLine line = new CommandLine(spec);
    line.setUnmatchedArgumentsAllowed(true); // its options are not known yet: report the issue, not them
    return line;
  }
}
