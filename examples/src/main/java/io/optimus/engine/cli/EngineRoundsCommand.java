package io.optimus.engine.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.engine.EngineRounds;
import io.optimus.policy.engine.RoundMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optimus engine rounds DIR}: the data engine's rounds kept under DIR, as JSON (a table on stderr). */
@Command(name = "rounds", mixinStandardHelpOptions = true,
    description = "List the data engine's rounds kept under DIR/rounds (each round's metrics.json) as JSON; the"
        + " per-round table (episodes, interventions, intervention frames, success, mean time to success) goes to"
        + " stderr.")
public final class EngineRoundsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The engine's starting dataset (given to 'engine round').")
  Path dir;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      throw new InputException(dir + ": no such dataset directory");
    }
    List<RoundMetrics> rounds = EngineRounds.list(dir);
    printTable(spec.commandLine().getErr(), rounds);
    spec.commandLine().getOut().println(Json.write(rounds));
    return 0;
  }

  static void printTable(java.io.PrintWriter err, List<RoundMetrics> rounds) {
    err.println("round  kind    episodes  interventions  intervention frames  added frames  grasped  success       mean"
        + " time to success");
    for (RoundMetrics m : rounds) {
      var r = m.rollouts();
      err.printf(Locale.ROOT, "%5d  %-6s  %8s  %13s  %19s  %12s  %7s  %3d/%-3d %3.0f%%  %s%n", m.round(), m.kind(),
          r == null ? "-" : r.episodes(), r == null ? "-" : r.interventions(), r == null ? "-" : r.interventionFrames(),
          m.added() == null ? "-" : m.added().frames(), m.eval().stages() == null ? "-" : m.eval().stages().grasped(),
          m.eval().successes(), m.eval().episodes(),
          100 * m.eval().successRate(), m.eval().meanTimeToSuccessS() == null ? "-"
              : String.format(Locale.ROOT, "%.1f s", m.eval().meanTimeToSuccessS()));
    }
  }
}
