package io.optimus.perception.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end, in process, with the optimus CLI's error convention (bad input: exit 2). */
class PerceptionCliTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      if (ex instanceof InputException) {
        line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void trainThenEvalWritesAModelAndPerHeadMetricsWithBaselines() throws Exception {
    Path model = tmp.resolve("m");
    Run train = run(new PerceptionCommand(), "train", "--out", model.toString(), "--images", "16", "--epochs", "1",
        "--batch", "8", "--size", "64", "--width", "8", "--fpn", "8");
    assertEquals(0, train.exit(), train.err());
    JsonNode summary = Json.MAPPER.readTree(train.out());
    assertEquals(64, summary.path("embeddingSize").asInt());
    assertTrue(summary.path("trainingSeconds").asDouble() > 0);
    assertTrue(train.err().contains("epoch 1/1 ["), "progress bar on stderr: " + train.err());
    assertTrue(Files.isRegularFile(model.resolve("backbone/backbone.params")));

    Run eval = run(new PerceptionCommand(), "eval", "--model", model.toString(), "--scenes", "8");
    assertEquals(0, eval.exit(), eval.err());
    JsonNode report = Json.MAPPER.readTree(eval.out());
    assertEquals("64x64", report.path("imageSize").asText());
    for (String head : new String[] {"segmentation", "objectCentres", "depth"}) {
      assertTrue(report.path(head).has("model"), head);
    }
    assertTrue(report.path("segmentation").path("baselineAllBackground").has("laneMIoU"));
    assertTrue(report.path("objectCentres").path("model").has("f1"));
    assertTrue(report.path("depth").path("baselineMeanDepth").path("absRel").asDouble() > 0);
    assertTrue(report.path("beatsBaselines").has("depthAbsRel"));
  }

  @Test
  void badInputExitsWithCodeTwoAndOneLineNamingIt() {
    Run missing = run(new PerceptionCommand(), "eval", "--model", tmp.resolve("nothing").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("nothing") && missing.err().contains("does not exist"), missing.err());
    Run size = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--size", "100");
    assertEquals(2, size.exit());
    assertTrue(size.err().contains("multiples of 32"), size.err());
    Run depth = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--depth", "50");
    assertEquals(2, depth.exit());
    assertTrue(depth.err().contains("18 or 34"), depth.err());
    Run frozen = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--freeze-backbone");
    assertEquals(2, frozen.exit());
    assertTrue(frozen.err().contains("--init-backbone"), frozen.err());
    Run bench = run(new PerceptionBenchCommand(), "--sizes", "100");
    assertEquals(2, bench.exit());
  }
}
