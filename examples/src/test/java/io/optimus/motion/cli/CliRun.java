package io.optimus.motion.cli;

import io.optimus.common.InputException;
import io.optimus.motion.bvh.cli.MocapCommand;
import io.optimus.motion.record.cli.DatasetCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Runs this module's real commands (robot, mocap, dataset) the way the optimus CLI does
 * (OptimusCli.configure, which lives in examples): an InputException is one line on stderr and exit 2,
 * any other exception one line and exit 1. Errors (out of memory, stack overflow) are not caught: a
 * test that meets one fails. {@link #main} does the same in a child JVM (e.g. under setpriv).
 */
public record CliRun(int code, String out, String err) {
  public static CliRun run(String... args) {
    Object command = switch (args[0]) {
      case "robot" -> new RobotCommand();
      case "mocap" -> new MocapCommand();
      case "dataset" -> new DatasetCommand();
      default -> throw new IllegalArgumentException(args[0]);
    };
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      String name = line.getCommandSpec().qualifiedName();
      if (ex instanceof InputException) {
        line.getErr().println(name + ": " + ex.getMessage());
        return 2;
      }
      line.getErr().println(name + ": error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return 1;
    });
    int code = cli.execute(Arrays.copyOfRange(args, 1, args.length));
    return new CliRun(code, out.toString(), err.toString());
  }

  public static void main(String[] args) {
    CliRun r = run(args);
    System.out.print(r.out);
    System.err.print(r.err);
    System.exit(r.code);
  }
}
