package io.optimus.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.cli.OptimusCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad demo arguments: one line naming the problem, exit code 2, nothing started. */
class DemoCommandTest {
  @TempDir Path tmp;

  private static String[] run(String... args) {
    CommandLine cli = OptimusCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), err.toString().strip()};
  }

  @Test
  void tooFewDemonstrationsIsNamed() {
    String[] r = run("demo", "--demos", "1", "--out", tmp.resolve("d").toString());
    assertEquals("2", r[0], r[1]);
    assertEquals(1, r[1].lines().count(), r[1]);
    assertTrue(r[1].contains("--demos") && r[1].contains("at least 2"), r[1]);
  }

  @Test
  void anOutputThatIsAFileIsNamed() throws Exception {
    Path file = Files.writeString(tmp.resolve("taken"), "x");
    String[] r = run("demo", "--quick", "--out", file.toString());
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains(file.toString()) && r[1].contains("not a folder"), r[1]);
  }

  @Test
  void aFolderHoldingAnEarlierRunIsNotOverwritten() throws Exception {
    Path rec = Files.createDirectories(tmp.resolve("run").resolve("recordings"));
    Files.writeString(rec.resolve("old.mcap"), "recorded earlier");
    String[] r = run("demo", "--out", tmp.resolve("run").toString());
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("already holds a demo run"), r[1]);
    assertEquals("recorded earlier", Files.readString(rec.resolve("old.mcap")), "nothing recorded is lost");
  }

  @Test
  void helpDescribesBothSizes() {
    CommandLine cli = OptimusCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("demo", "--help"));
    assertTrue(out.toString().contains("--quick") && out.toString().contains("--demos")
        && out.toString().contains("--seed") && out.toString().contains("--out"), out.toString());
  }
}
