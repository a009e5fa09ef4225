package io.optimus.motion.cli;

import io.optimus.common.Json;
import io.optimus.motion.bench.IkBench;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.UrdfLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus bench ik}: per-frame whole-body retargeting and FK timing, median and p99. */
@Command(name = "ik", mixinStandardHelpOptions = true,
    description = {"Per-frame whole-body retargeting (head + 2 palms + 2 hands) of a scripted operator at 100 Hz,",
        "for optimus (hand tracking, hand tracking + 16 body joints, controllers) and the Unitree G1 from the shared data (skipped if absent),",
        "plus forward kinematics. Targets for optimus: median <= 100 us, p99 <= 300 us, FK <= 5 us (one core)."})
public final class BenchIkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--frames", defaultValue = "20000", description = "timed frames per case (default ${DEFAULT-VALUE})")
  int frames;

  @Option(names = "--warmup", defaultValue = "5000", description = "untimed frames first, for the JIT (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--g1", description = "G1 URDF (default: <shared>/data/robots/unitree_g1/g1_29dof_rev_1_0.urdf, "
      + "shared from -Doptimus.shared.dir, $OPTIMUS_SHARED_DIR or ../shared)")
  Path g1;

  @Option(names = "--json", description = "print the figures as JSON instead of a table")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<IkBench.Figures> figures = new ArrayList<>();
    RobotModel optimus = Robots.load("optimus");
    err.println("bench ik: optimus, hand tracking (" + warmup + " warm-up + " + frames + " frames) ...");
    err.flush();
    figures.add(IkBench.run(optimus, warmup, frames, true));
    err.println("bench ik: optimus, hand tracking + full body (16 body joints) ...");
    err.flush();
    figures.add(IkBench.run(optimus, warmup, frames, true, true));
    err.println("bench ik: optimus, controllers ...");
    err.flush();
    figures.add(IkBench.run(optimus, warmup, frames, false));
    Path g1Path = g1 != null ? g1 : sharedG1();
    if (g1Path != null && Files.isRegularFile(g1Path)) {
      err.println("bench ik: G1 (" + g1Path + ") ...");
      err.flush();
      figures.add(IkBench.run(UrdfLoader.load(g1Path), warmup, frames, false));
    } else {
      err.println("bench ik: G1 URDF not found, skipped (use --g1 FILE)");
    }
    if (json) {
      out.println(Json.write(figures));
    } else {
      out.println(String.format(Locale.ROOT, "%-34s %4s %10s %10s %10s %10s %10s %10s", "case", "dof", "median_us",
          "p99_us", "cpu_med_us", "cpu_p99_us", "max_us", "fk_us"));
      for (IkBench.Figures f : figures) {
        out.println(String.format(Locale.ROOT, "%-34s %4d %10.1f %10.1f %10.1f %10.1f %10.1f %10.2f",
            f.robot() + (f.handTracking() ? " (hand tracking" : " (controllers") + (f.fullBody() ? " + body)" : ")"), f.dof(), f.medianUs(), f.p99Us(),
            f.cpuMedianUs(), f.cpuP99Us(), f.maxUs(), f.fkMedianUs()));
      }
      out.println("wall-clock figures include preemption by other processes; cpu_* count this thread's CPU time only.");
      out.println("targets (optimus): median <= 100 us, p99 <= 300 us, FK <= 5 us.");
    }
    out.flush();
    return 0;
  }

  private static Path sharedG1() {
    String dir = System.getProperty("optimus.shared.dir");
    if (dir == null) {
      dir = System.getenv("OPTIMUS_SHARED_DIR");
    }
    Path base = dir != null ? Path.of(dir) : Path.of("..", "shared");
    return base.resolve("data/robots/unitree_g1/g1_29dof_rev_1_0.urdf");
  }
}
