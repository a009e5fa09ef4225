package io.optimus.teleop.monado;

import io.optimus.common.InputException;
import io.optimus.teleop.cli.TeleopCommand;
import java.io.PrintWriter;
import picocli.CommandLine;

/** {@code optimus teleop} as its own process, for tests that need a fresh runtime or send it signals. */
public final class TeleopChild {
  private TeleopChild() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new TeleopCommand());
    cli.setOut(new PrintWriter(System.out, true));
    cli.setErr(new PrintWriter(System.err, true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      line.getErr().println("teleop: " + ex.getMessage());
      return ex instanceof InputException ? 2 : 1;
    });
    System.exit(cli.execute(args));
  }
}
