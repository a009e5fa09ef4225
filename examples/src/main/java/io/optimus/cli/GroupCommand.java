package io.optimus.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code optimus policy}, {@code bench}, ...). Run without one,
 * it is a usage error the picocli way: a ParameterException, which the tree's handler turns into one
 * line on stderr and exit code 2.
 */
public abstract class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "Missing required subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
