package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptimusCliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = OptimusCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommand() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"demo", "broker", "bridge", "teleop", "robot", "mocap", "dataset",
        "perception", "policy", "bench"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(c + " ") || l.trim().equals(c)),
          "--help does not list " + c + ":\n" + r.out());
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"demo", "broker", "bridge", "teleop", "robot", "mocap", "dataset",
        "perception", "policy", "bench"}) {
      Run r = run(c, "--help");
      assertEquals(0, r.code(), c + " --help failed: " + r.err());
      assertTrue(r.out().startsWith("Usage: optimus " + c), r.out());
    }
  }

  @Test
  void unknownOptionIsOneLineNamingItWithExitTwo() {
    Run r = run("--frobnicate");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--frobnicate"), r.err());
  }

  @Test
  void unknownCommandIsOneLineNamingItWithExitTwo() {
    Run r = run("teleport");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("teleport"), r.err());
  }

  @Test
  void unknownBenchIsOneLineWithExitTwo() {
    Run r = run("bench", "warp-drive");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("optimus bench: "), r.err());
    assertTrue(r.err().contains("warp-drive"), r.err());
  }

  @Test
  void noCommandPrintsUsageAndExitsTwo() {
    Run r = run();
    assertEquals(2, r.code());
    assertTrue(r.out().contains("Usage: optimus"));
  }

  @Test
  void versionNamesTheBuild() {
    Run r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("optimus-teleop "), r.out());
  }
}
