package io.optimus.motion.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of the benchmarks jar: JMH's own command line, plus the G1 lookup. Without the shared
 * data the G1 cases are skipped (robot=optimus only) instead of failing; with it, the forks get the
 * resolved URDF location (they do not inherit the launcher's system properties).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
        || cli.shouldListResultFormats()) {
      Main.main(args);
      return;
    }
    OptionsBuilder options = new OptionsBuilder();
    options.parent(cli);
    Path g1 = BenchRobots.g1Urdf();
    if (g1 == null) {
      if (!cli.getParameter("robot").hasValue()) {
        System.err.println("benchmarks: G1 URDF not found (-Doptimus.shared.dir, $OPTIMUS_SHARED_DIR or ../shared): "
            + "G1 skipped");
        options.param("robot", BenchRobots.OPTIMUS);
      }
    } else {
      Path shared = g1.getParent().getParent().getParent().getParent(); // <shared>/data/robots/unitree_g1/x.urdf
      List<String> jvm = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
      jvm.add("-Doptimus.shared.dir=" + shared);
      options.jvmArgsAppend(jvm.toArray(String[]::new));
    }
    try {
      new Runner(options.build()).run();
    } catch (RunnerException e) {
      System.err.println("ERROR: " + e.getMessage());
      System.exit(1);
    }
  }
}
