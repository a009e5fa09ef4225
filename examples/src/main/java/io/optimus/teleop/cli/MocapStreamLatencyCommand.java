package io.optimus.teleop.cli;

import io.optimus.cli.RobotOption;
import io.optimus.cli.WorldOption;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.teleop.bench.MocapStreamLatencyBench;
import io.optimus.teleop.bench.MocapStreamLatencyBench.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code optimus bench mocap-stream}. */
@Command(name = "mocap-stream", mixinStandardHelpOptions = true,
    description = {"A BVH clip broadcast over loopback TCP at its Frame Time (as a mocap suite streams), read by",
        "'teleop --source mocap-stream:HOST:PORT', through the embedded broker to a bridge: frame line received",
        "-> robot command applied, p50/p99/max (goal p99 <= 10 ms at 120 Hz)."})
public final class MocapStreamLatencyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bvh", required = true, description = "The clip to stream (e.g. a CMU clip at 120 Hz).")
  Path bvh;

  @Option(names = "--modes", split = ",", defaultValue = "fixed,sync",
      description = "Bridge loop timing: fixed and/or sync (see 'bridge --sync-operator'); default ${DEFAULT-VALUE}.")
  List<String> modes;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--rate", defaultValue = "250", description = "Control rate, Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Option(names = "--json", description = "Print the results as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(bvh)) {
      throw new InputException("--bvh " + bvh + ": no such file");
    }
    for (String m : modes) {
      if (!m.equals("fixed") && !m.equals("sync")) {
        throw new InputException("--modes " + m + ": use fixed or sync");
      }
    }
    if (!(seconds > 0 && seconds <= 3600 && warmup >= 0 && warmup <= 600 && rate > 0 && rate <= 2000)) {
      throw new InputException("--seconds, --warmup or --rate out of range");
    }
    RobotRig rig = new RobotRig(robot.load());
    List<Result> results = new ArrayList<>();
    var out = spec.commandLine().getOut();
    if (!json) {
      out.printf(Locale.ROOT, "%-6s %8s %8s %8s %8s %8s %8s%n", "mode", "streamHz", "frames", "p50 ms", "p99 ms",
          "max ms", "refused");
    }
    for (String m : modes) {
      Result r = MocapStreamLatencyBench.run(bvh, rig, world.name(), rate, m.equals("sync"), warmup, seconds);
      results.add(r);
      if (!json) {
        out.printf(Locale.ROOT, "%-6s %8.1f %8d %8.2f %8.2f %8.2f %8d%n", r.mode(), r.streamHz(), r.frames(), r.p50Ms(),
            r.p99Ms(), r.maxMs(), r.refused());
        out.flush();
      }
    }
    if (json) {
      out.println(Json.write(results));
    }
    out.flush();
    return 0;
  }
}
