package io.optimus.policy.cli;

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

/** {@code bench policy --columns NAME=DIR}: a trunk column that is not there fails at once, in one line. */
class BenchPolicyColumnsTest {
  @TempDir Path tmp;

  @Test
  void aMissingTrunkDirectoryOrAnUnknownColumnIsAOneLineErrorBeforeAnyWork() {
    for (String[] c : new String[][] {{"shared=" + tmp.resolve("nope"), "is not a directory"},
        {"Shared!", "is not pretrained, scratch, pixels:G or NAME=DIR"}}) {
      CommandLine cli = OptimusCli.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err, true));
      cli.setOut(new PrintWriter(new StringWriter(), true));
      Path work = tmp.resolve("work");
      int code = cli.execute("bench", "policy", "--columns", c[0], "--work", work.toString());
      assertEquals(2, code, err.toString());
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
      assertTrue(err.toString().contains(c[1]) && err.toString().contains("--columns"), err.toString());
      assertTrue(!Files.exists(work), "nothing written");
    }
  }
}
