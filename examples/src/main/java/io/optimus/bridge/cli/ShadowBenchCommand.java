package io.optimus.bridge.cli;

import io.optimus.bridge.bench.ShadowBench;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus bench shadow}: what shadow mode costs the control thread per tick. */
@Command(name = "shadow", mixinStandardHelpOptions = true,
    description = {"Shadow mode's cost on the control thread per tick: sampling the newest prediction (clamp,",
        "disagreement per joint group, the /shadow message), the triggers, and queueing it to a recording.",
        "Prints JSON: per-tick median/p99/max µs and heap bytes per tick, not recorded and recorded."})
public final class ShadowBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--robot", defaultValue = "optimus", description = "Robot model (default ${DEFAULT-VALUE}).")
  String robot;

  @Option(names = "--ticks", defaultValue = "50000", description = "Measured ticks (default ${DEFAULT-VALUE}).")
  long ticks;

  @Option(names = "--predict-every", defaultValue = "8",
      description = "Ticks between predictions (default ${DEFAULT-VALUE}: ~30 Hz at 250 Hz).")
  int predictEvery;

  @Override
  public Integer call() throws Exception {
    if (ticks < 100 || ticks > 10_000_000 || predictEvery < 1) {
      throw new InputException("--ticks must be 100-10000000 and --predict-every >= 1");
    }
    RobotRig rig = new RobotRig(Robots.load(robot));
    Path dir = Files.createTempDirectory("shadow-bench");
    try {
      ShadowBench.run(rig, ticks, ticks / 5, predictEvery, null); // JIT warm-up, not reported
      List<ShadowBench.Result> out = List.of(ShadowBench.run(rig, ticks / 5, ticks, predictEvery, null),
          ShadowBench.run(rig, ticks / 5, ticks, predictEvery, dir));
      spec.commandLine().getOut().println(Json.write(out));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return 0;
  }
}
