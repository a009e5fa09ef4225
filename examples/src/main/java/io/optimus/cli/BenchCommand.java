package io.optimus.cli;

import picocli.CommandLine.Command;

/** Benchmarks that print measured figures; each module contributes its own. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print measured figures (median, p99, throughput, ratios).")
public final class BenchCommand extends GroupCommand {
  BenchCommand() {}
}
