package io.optimus.cli;

import io.optimus.common.BuildInfo;
import io.optimus.common.InputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code optimus} command line. Each module owns its subcommands; they are registered here.
 * Exit codes: 0 success, 1 failure at run time, 2 bad usage or bad input (one line naming it).
 */
@Command(name = "optimus", mixinStandardHelpOptions = true, versionProvider = OptimusCli.Version.class,
    description = "Teleoperate a humanoid robot from VR and teach it tasks by mimicry.",
    footer = {"", "Run 'optimus COMMAND --help' for a command's options."})
public final class OptimusCli extends GroupCommand {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  /** The full command tree, with the error handling every subcommand shares. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new OptimusCli());
    cli.addSubcommand("demo", new io.optimus.examples.demo.DemoCommand());
    cli.addSubcommand("broker", new io.optimus.bridge.cli.BrokerCommand());
    cli.addSubcommand("bridge", new io.optimus.bridge.cli.BridgeCommand());
    cli.addSubcommand("teleop", new CommandLine(new io.optimus.teleop.cli.TeleopCommand()));
    cli.addSubcommand("robot", new io.optimus.motion.cli.RobotCommand());
    cli.addSubcommand("mocap", new io.optimus.motion.bvh.cli.MocapCommand());
    CommandLine dataset = new CommandLine(new io.optimus.motion.record.cli.DatasetCommand());
    dataset.addSubcommand("export", new io.optimus.motion.dataset.lerobot.cli.DatasetExportCommand());
    cli.addSubcommand("dataset", dataset);
    cli.addSubcommand("perception", new CommandLine(new io.optimus.perception.cli.PerceptionCommand()));
    cli.addSubcommand("policy", new CommandLine(new io.optimus.policy.cli.PolicyCommand()));
    cli.addSubcommand("engine", new CommandLine(new io.optimus.engine.cli.EngineCommand()));
    cli.addSubcommand("dashboard", new io.optimus.dashboard.cli.DashboardCommand());
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand("ik", new io.optimus.motion.cli.BenchIkCommand());
    bench.addSubcommand("recording", new io.optimus.motion.record.cli.RecordingBenchCommand());
    bench.addSubcommand("export", new io.optimus.motion.dataset.lerobot.cli.ExportBenchCommand());
    bench.addSubcommand("teleop-latency", new io.optimus.bridge.cli.TeleopLatencyCommand());
    bench.addSubcommand("estop", new io.optimus.bridge.cli.EstopLatencyCommand());
    bench.addSubcommand("sim", new io.optimus.bridge.cli.SimBenchCommand());
    bench.addSubcommand("shadow", new io.optimus.bridge.cli.ShadowBenchCommand());
    bench.addSubcommand("video-latency", new io.optimus.bridge.cli.VideoLatencyCommand());
    bench.addSubcommand("mocap-stream", new io.optimus.teleop.cli.MocapStreamLatencyCommand());
    bench.addSubcommand("perception", new CommandLine(new io.optimus.perception.cli.PerceptionBenchCommand()));
    bench.addSubcommand("policy", new CommandLine(new io.optimus.policy.cli.BenchPolicyCommand()));
    bench.addSubcommand("engine", new CommandLine(new io.optimus.engine.cli.BenchEngineCommand()));
    cli.addSubcommand("bench", bench);
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setExecutionStrategy(QuietLibraryLogs::execute); // benches print figures, not the libraries' warnings
    return configure(cli);
  }

  /** One-line errors and exit codes for a command tree (also used by tests on subtrees). */
  public static CommandLine configure(CommandLine cli) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(OptimusCli::onBadUsage);
    cli.setExecutionExceptionHandler((ex, line, parseResult) -> onFailure(ex, line));
    return cli;
  }

  private static int onBadUsage(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    String name = line.getCommandSpec().qualifiedName();
    String message = ex.getMessage().replace('\n', ' ').trim();
    line.getErr().println(name + ": " + message + " (see '" + name + " --help')");
    return EXIT_USAGE;
  }

  private static int onFailure(Exception ex, CommandLine line) {
    PrintWriter err = line.getErr();
    String name = line.getCommandSpec().qualifiedName();
    if (ex instanceof InputException) {
      err.println(name + ": " + ex.getMessage());
      return EXIT_USAGE;
    }
    err.println(name + ": error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
    if (System.getenv("OPTIMUS_DEBUG") != null) {
      ex.printStackTrace(err);
    } else {
      err.println("(set OPTIMUS_DEBUG=1 for the stack trace)");
    }
    return EXIT_FAILURE;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"optimus-teleop " + BuildInfo.version(), "Java " + Runtime.version()};
    }
  }
}
