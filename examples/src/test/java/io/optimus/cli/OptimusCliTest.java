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
        "perception", "policy", "engine", "bench"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(c + " ") || l.trim().equals(c)),
          "--help does not list " + c + ":\n" + r.out());
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"demo", "broker", "bridge", "teleop", "robot", "mocap", "dataset",
        "perception", "policy", "engine", "bench"}) {
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
  void noCommandIsAUsageErrorListingTheCommands() {
    Run r = run();
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("optimus: Missing required subcommand: one of "), r.err());
    assertTrue(r.err().contains("bridge") && r.err().contains("policy"), r.err());
  }

  /** Group commands run without a subcommand give picocli's usage error (one line, exit 2), not a literal 2. */
  @Test
  void everyGroupWithoutASubcommandIsAOneLineUsageError() {
    String[][] groups = {{"robot", "info"}, {"mocap", "retarget"}, {"dataset", "export"},
        {"perception", "train"}, {"policy", "deploy"}, {"bench", "teleop-latency"}};
    for (String[] g : groups) {
      Run r = run(g[0]);
      assertEquals(2, r.code(), g[0] + ": " + r.err());
      assertEquals("", r.out(), g[0]);
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().startsWith("optimus " + g[0] + ": Missing required subcommand: one of "), r.err());
      assertTrue(r.err().contains(g[1]), g[0] + " does not list " + g[1] + ": " + r.err());
    }
  }

  /** One --robot everywhere a robot model is loaded (the RobotOption mixin), same help text. */
  @Test
  void robotOptionIsTheSameEverywhere() {
    CommandLine cli = OptimusCli.commandLine();
    String[][] paths = {{"bridge"}, {"teleop"}, {"robot", "info"}, {"robot", "fk"}, {"robot", "ik"},
        {"mocap", "retarget"}, {"policy", "eval"}, {"bench", "estop"}, {"bench", "teleop-latency"}};
    String expected = null;
    for (String[] path : paths) {
      CommandLine c = cli;
      for (String name : path) {
        c = c.getSubcommands().get(name);
      }
      var robot = c.getCommandSpec().findOption("--robot");
      assertTrue(robot != null, String.join(" ", path) + " has no --robot");
      assertEquals("optimus", robot.defaultValue(), String.join(" ", path));
      String description = String.join(" ", robot.description());
      expected = expected == null ? description : expected;
      assertEquals(expected, description, String.join(" ", path));
      assertTrue(c.getCommandSpec().findOption("--model") == null, String.join(" ", path) + " still has --model");
    }
  }

  @Test
  void versionNamesTheBuild() {
    Run r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("optimus-teleop "), r.out());
  }
}
