package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --world} on every command that runs a simulated robot: known names only, a one-line error otherwise. */
class WorldOptionTest {
  @TempDir Path tmp;

  @Test
  void anUnknownWorldIsAOneLineUsageErrorOnEveryHost() {
    String run = tmp.resolve("no-run").toString();
    List<String[]> commands = List.of(
        new String[] {"bridge", "--robot-id", "w1", "--broker", "tcp://127.0.0.1:1", "--world", "marble"},
        new String[] {"demo", "--out", tmp.resolve("demo").toString(), "--world", "marble"},
        new String[] {"policy", "eval", "--run", run, "--world", "marble"},
        new String[] {"bench", "policy", "--quick", "--work", tmp.resolve("bench").toString(), "--world", "marble"},
        new String[] {"bench", "teleop-latency", "--robots", "1", "--world", "marble"});
    for (String[] args : commands) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = OptimusCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      String what = String.join(" ", args);
      assertEquals(2, code, what + ": " + err);
      String e = err.toString().strip();
      assertTrue(e.contains("--world 'marble' is unknown: expected one of physics, kinematic"), what + ": " + e);
      assertEquals(1, e.lines().count(), what + ": one line, no stack trace: " + e);
    }
  }
}
