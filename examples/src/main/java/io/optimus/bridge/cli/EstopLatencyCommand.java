package io.optimus.bridge.cli;

import io.optimus.cli.RobotOption;
import io.optimus.bridge.bench.EstopLatencyBench;
import io.optimus.bridge.bench.EstopLatencyBench.Result;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus bench estop}. */
@Command(name = "estop", mixinStandardHelpOptions = true,
    description = {"E-stop control requests through the embedded broker to one simulated robot, quiet and while",
        "other clients flood every topic the bridge subscribes to: arrival -> latch and sent -> latch p50/p99/max,",
        "and the most control ticks any e-stop waited between arrival and latch."})
public final class EstopLatencyCommand implements Callable<Integer> {
  @Option(names = "--estops", defaultValue = "100", description = "E-stops per load (default ${DEFAULT-VALUE}).")
  int estops;

  @Option(names = "--loads", split = ",", defaultValue = "quiet,flood",
      description = "quiet and/or flood (default ${DEFAULT-VALUE}).")
  List<String> loads;

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds before the first e-stop (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--rate", defaultValue = "250", description = "Control rate in Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Mixin RobotOption robot;

  @Option(names = "--json", description = "Print the results as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    // the bench's bridge records and refuses on purpose: `optimus bench` keeps library logs to errors
    // (io.optimus.cli.QuietLibraryLogs)
    if (estops < 1 || estops > 10_000) {
      throw new InputException("--estops " + estops + " is out of range 1-10000");
    }
    for (String l : loads) {
      if (!l.equals("quiet") && !l.equals("flood")) {
        throw new InputException("--loads: unknown load '" + l + "' (quiet, flood)");
      }
    }
    RobotRig rig = new RobotRig(robot.load());
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<Result> results = new ArrayList<>();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      for (String l : loads) {
        results.add(EstopLatencyBench.run(broker.url(), rig, rate, l.equals("flood"), estops, warmup,
            System.err::println));
      }
    }
    if (json) {
      System.out.println(Json.write(results));
      return 0;
    }
    System.out.printf(Locale.ROOT, "e-stop latency: control request e-stops, embedded broker, control loop %.0f Hz;"
        + " %d cores; system load average %.1f before, %.1f after%n", rate, Runtime.getRuntime().availableProcessors(),
        loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-6s %7s %5s %5s %12s %12s %12s %10s %11s %11s %11s %10s%n", "load", "e-stops", "lost",
        "late",
        "arr p50 ms", "arr p99 ms", "arr max ms", "max ticks", "sent p50 ms", "sent p99 ms", "sent max ms", "flood msgs");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-6s %7d %5d %5d %12.3f %12.3f %12.3f %10d %11.2f %11.2f %11.2f %10d%n",
          r.load(), r.estops(), r.lost(), r.late(), r.arrivalP50Ms(), r.arrivalP99Ms(), r.arrivalMaxMs(), r.maxTicksWaited(),
          r.sentP50Ms(), r.sentP99Ms(), r.sentMaxMs(), r.floodMessages());
    }
    System.out.println("e-stops = latched within 5 s of sending; lost = not; late = lost ones that latched later. arr ="
        + " arrival at the bridge -> latched (bridge stamps); max ticks = most control ticks completed in between;"
        + " sent = published by another client -> latched (includes the broker).");
    return 0;
  }
}
