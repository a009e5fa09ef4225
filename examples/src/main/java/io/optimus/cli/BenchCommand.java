package io.optimus.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Benchmarks that print measured figures; each module contributes its own. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = SimBenchCommand.class,
    description = "Benchmarks that print measured figures (median, p99, throughput, ratios).")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  BenchCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return OptimusCli.EXIT_USAGE;
  }
}
