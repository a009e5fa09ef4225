package io.optimus.bridge.cli;

import io.optimus.bridge.bench.SimBench;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.bullet.BulletBackend;
import io.optimus.motion.model.Robots;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code optimus bench sim}: physics real-time factor and per-tick cost on one core. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Physics world speed on one core: one robot on its stand with cubes on the table, arms sweeping",
        "and hands closing, stepped at the control rate. Prints real-time factor and per-tick median/p99/max."})
public final class SimBenchCommand implements Callable<Integer> {
  @Option(names = "--robot", defaultValue = "optimus", description = "Robot model: built-in name or URDF (default ${DEFAULT-VALUE}).")
  String robot;

  @Option(names = "--cubes", defaultValue = "3", description = "Cubes on the table (default ${DEFAULT-VALUE}).")
  int cubes;

  @Option(names = "--substeps", split = ",", defaultValue = "4", description = "Physics substeps per tick, comma list (default ${DEFAULT-VALUE}).")
  int[] substeps;

  @Option(names = "--seconds", defaultValue = "20", description = "Measured simulated seconds (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "4", description = "Unmeasured simulated seconds first (default ${DEFAULT-VALUE}).")
  double warmup;

  @Override
  public Integer call() {
    var model = Robots.load(robot);
    var backend = new BulletBackend();
    System.out.printf(Locale.ROOT, "%-9s %5s %5s %8s %8s %10s %10s %10s%n", "substeps", "cubes", "Hz", "sim s", "RTF",
        "median ms", "p99 ms", "max ms");
    for (int s : substeps) {
      SimBench.Result r = SimBench.run(backend, model, PhysicsScene.tabletop(java.util.List.of()).withSubsteps(s), cubes,
          warmup, seconds, 1);
      System.out.printf(Locale.ROOT, "%-9d %5d %5.0f %8.1f %7.2fx %10.3f %10.3f %10.3f%n", r.substeps(), r.cubes(),
          r.controlHz(), r.simulatedSeconds(), r.realTimeFactor(), r.tickMedianMs(), r.tickP99Ms(), r.tickMaxMs());
    }
    System.out.println("engine: " + backend.name() + ", robot: " + model.name());
    return 0;
  }
}
