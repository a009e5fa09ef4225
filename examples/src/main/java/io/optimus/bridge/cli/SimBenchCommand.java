package io.optimus.bridge.cli;

import io.optimus.bridge.bench.SimBench;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.bullet.BulletBackend;
import io.optimus.cli.WristCameraOption;
import io.optimus.common.InputException;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optimus bench sim}: physics real-time factor and per-tick cost on one core, without and with cameras. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Physics world speed on one core: one robot on its stand with cubes on the table, arms sweeping",
        "and hands closing, stepped at the control rate. Prints real-time factor and per-tick median/p99/max,",
        "without cameras, with the head camera, and with the head and wrist cameras rendering on the same thread",
        "(camera rounds: median/p99 ms and heap bytes allocated per round)."})
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

  @Option(names = "--cameras", split = ",", defaultValue = "none,head,all", paramLabel = "none|head|all",
      description = "Camera sets to measure, comma list: none, head, all = head and wrists (default ${DEFAULT-VALUE}).")
  List<String> cameraSets;

  @Option(names = "--camera-rate", defaultValue = "10", description = "Camera rate in Hz (default ${DEFAULT-VALUE}, the bridge's).")
  double cameraRate;

  @Mixin WristCameraOption wristCamera;

  @Override
  public Integer call() {
    RobotRig rig = wristCamera.apply(new RobotRig(Robots.load(robot)));
    List<List<String>> sets = new ArrayList<>();
    for (String set : cameraSets) {
      sets.add(switch (set.trim().toLowerCase(Locale.ROOT)) {
        case "none" -> List.of();
        case "head" -> rig.cameras().stream().map(RobotRig.Camera::name).filter("head"::equals).toList();
        case "all" -> rig.cameras().stream().map(RobotRig.Camera::name).toList();
        default -> throw new InputException("--cameras " + set + ": expected none, head or all");
      });
    }
    var backend = new BulletBackend();
    System.out.printf(Locale.ROOT, "%-9s %5s %5s %8s %-27s %8s %10s %10s %10s %10s %10s %12s%n", "substeps", "cubes",
        "Hz", "sim s", "cameras", "RTF", "median ms", "p99 ms", "max ms", "round ms", "round p99", "bytes/round");
    for (int s : substeps) {
      for (List<String> cams : sets) {
        SimBench.Result r = SimBench.run(backend, rig, PhysicsScene.tabletop(List.of()).withSubsteps(s), cubes,
            warmup, seconds, 1, cams, cameraRate);
        SimBench.Cameras c = r.cameras();
        System.out.printf(Locale.ROOT, "%-9d %5d %5.0f %8.1f %-27s %7.2fx %10.3f %10.3f %10.3f %10s %10s %12s%n",
            r.substeps(), r.cubes(), r.controlHz(), r.simulatedSeconds(), cams.isEmpty() ? "-" : String.join("+", cams),
            r.realTimeFactor(), r.tickMedianMs(), r.tickP99Ms(), r.tickMaxMs(),
            c == null ? "-" : String.format(Locale.ROOT, "%.3f", c.roundMedianMs()),
            c == null ? "-" : String.format(Locale.ROOT, "%.3f", c.roundP99Ms()),
            c == null ? "-" : String.valueOf(c.bytesPerRound()));
      }
    }
    System.out.println("engine: " + backend.name() + ", robot: " + rig.model().name() + ", cameras at " + cameraRate
        + " Hz: " + rig.cameras().stream().map(c -> c.name() + " " + c.width() + "x" + c.height()).toList());
    return 0;
  }
}
