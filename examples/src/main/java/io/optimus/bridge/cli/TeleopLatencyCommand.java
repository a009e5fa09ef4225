package io.optimus.bridge.cli;

import io.optimus.cli.RobotOption;
import io.optimus.cli.WorldOption;
import io.optimus.bridge.bench.TeleopLatencyBench;
import io.optimus.bridge.bench.TeleopLatencyBench.Result;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.broker.MosquittoBroker;
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

/** {@code optimus bench teleop-latency}. */
@Command(name = "teleop-latency", mixinStandardHelpOptions = true,
    description = {"Operator frames at 90 Hz through the broker to the applied command: p50, p99 and max",
        "latency and CPU per robot for 1, 8 and 32 simulated robots, with the embedded broker (HiveMQ CE)",
        "and with Mosquitto (when installed). Everything runs on loopback in this process except Mosquitto."})
public final class TeleopLatencyCommand implements Callable<Integer> {
  @Option(names = "--robots", split = ",", defaultValue = "1,8,32", description = "Robot counts (default ${DEFAULT-VALUE}).")
  List<Integer> robots;

  @Option(names = "--brokers", split = ",", defaultValue = "embedded,mosquitto",
      description = "Brokers: embedded, mosquitto (default ${DEFAULT-VALUE}).")
  List<String> brokers;

  @Option(names = "--modes", split = ",", defaultValue = "fixed,sync",
      description = {"Loop timing: fixed (ticks on a fixed 1/rate grid) and/or sync (ticks phase-locked to operator",
          "frame arrivals, see 'bridge --sync-operator'); default ${DEFAULT-VALUE}."})
  List<String> modes;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per configuration (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds per configuration (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--rate", defaultValue = "250", description = "Control rate of each robot in Hz (default ${DEFAULT-VALUE}).")
  double rate;

  @Mixin RobotOption robot;

  @Mixin WorldOption world;

  @Option(names = "--json", description = "Print the results as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    for (int n : robots) {
      if (n < 1 || n > 256) {
        throw new InputException("--robots " + n + " is out of range 1-256");
      }
    }
    for (String b : brokers) {
      if (!b.equals("embedded") && !b.equals("mosquitto")) {
        throw new InputException("--brokers: unknown broker '" + b + "' (embedded, mosquitto)");
      }
    }
    for (String m : modes) {
      if (!m.equals("fixed") && !m.equals("sync")) {
        throw new InputException("--modes: unknown mode '" + m + "' (fixed, sync)");
      }
    }
    String w = world.name();
    RobotRig rig = new RobotRig(robot.load());
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<Result> results = new ArrayList<>();
    for (String b : brokers) {
      if (b.equals("mosquitto") && MosquittoBroker.executable().isEmpty()) {
        System.err.println("teleop-latency: mosquitto is not installed; skipping it");
        continue;
      }
      for (String m : modes) {
        for (int n : robots) {
          System.err.printf(Locale.ROOT, "teleop-latency: %s, %s, %d robot(s): %.0f s warm-up + %.0f s%n", b, m, n,
              warmup, seconds);
          boolean sync = m.equals("sync");
          if (b.equals("embedded")) {
            try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
              results.add(TeleopLatencyBench.run("embedded", broker.url(), -1, rig, w, n, rate, sync, warmup, seconds,
                  System.err::println));
            }
          } else {
            try (MosquittoBroker broker = MosquittoBroker.start()) {
              results.add(TeleopLatencyBench.run("mosquitto", broker.url(), broker.pid(), rig, w, n, rate, sync, warmup,
                  seconds, System.err::println));
            }
          }
        }
      }
    }
    if (json) {
      System.out.println(Json.write(results));
      return 0;
    }
    System.out.printf(Locale.ROOT, "teleop latency: operator frame (90 Hz) captured -> joint command applied; control loop %.0f Hz, %s world;"
        + " %d cores; system load average %.1f before, %.1f after%n", rate, w, Runtime.getRuntime().availableProcessors(),
        loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-10s %-6s %6s %8s %8s %8s %8s %12s %12s %10s %10s %10s %9s%n", "broker", "timing",
        "robots", "frames",
        "p50 ms", "p99 ms", "max ms", "net p50 ms", "net p99 ms", "loop CPU", "proc CPU", "broker CPU", "overruns");
    System.out.printf(Locale.ROOT, "%-10s %-6s %6s %8s %8s %8s %8s %12s %12s %10s %10s %10s %9s%n", "", "", "", "", "",
        "", "",
        "", "", "%/robot", "%/robot", "% total", "");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-10s %-6s %6d %8d %8.2f %8.2f %8.2f %12.2f %12.2f %10.1f %10.1f %10s %9d%n",
          r.broker(), r.mode(), r.robots(), r.frames(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.transportP50Ms(), r.transportP99Ms(),
          r.loopCpuPerRobot(), r.processCpuPerRobot(),
          Double.isNaN(r.brokerCpu()) ? "in proc" : String.format(Locale.ROOT, "%.1f", r.brokerCpu()), r.overruns());
    }
    System.out.println("net = captured -> received by the bridge (publish + broker + MQTT client); the rest waits for the"
        + " next control tick (fixed: up to 1/rate; sync: none), retargets and applies. proc CPU includes the operators' clients and, for"
        + " the embedded broker, the broker.");
    return 0;
  }
}
