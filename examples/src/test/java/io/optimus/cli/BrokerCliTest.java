package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code optimus broker} through the real CLI: exit codes and one-line errors. */
class BrokerCliTest {
  private static int run(StringWriter err, String... args) {
    CommandLine cli = OptimusCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void openBrokerOnTheNetworkIsRefusedWithExit2() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "broker", "--bind", "0.0.0.0", "--port", "0"));
    String out = err.toString().strip();
    assertTrue(out.startsWith("optimus broker: refusing to listen on 0.0.0.0 without authentication"), out);
    assertTrue(out.contains("--insecure") && !out.contains("\n") && !out.contains("Exception"), out);
  }

  @Test
  void garbagePasswordFileIsNamedWithExit2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("users");
    java.nio.file.Files.writeString(f, "# users\nalice:operator:r1:hunter2\n");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "broker", "--passwd", f.toString(), "--port", "0"));
    assertTrue(err.toString().strip().startsWith("optimus broker: " + f + ":2: password hash does not start with"), err.toString());
  }
}
