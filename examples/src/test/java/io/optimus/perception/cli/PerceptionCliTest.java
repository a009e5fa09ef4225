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
    assertEquals("[\"vehicle\",\"robot\"]", summary.path("domains").toString(), "both domains by default");
    for (String head : new String[] {"seg", "depth", "heatmap", "size", "robotSeg", "robotDepth", "robotCentre"}) {
      assertTrue(Double.isFinite(summary.path("finalHeldOutLossPerHead").path(head).asDouble(Double.NaN)), head);
    }
    assertTrue(summary.path("trainingSeconds").asDouble() > 0);
    assertTrue(train.err().contains("epoch 1/1 ["), "progress bar on stderr: " + train.err());
    assertTrue(Files.isRegularFile(model.resolve("backbone/backbone.params")));

    Run eval = run(new PerceptionCommand(), "eval", "--model", model.toString(), "--scenes", "8");
    assertEquals(0, eval.exit(), eval.err());
    JsonNode report = Json.MAPPER.readTree(eval.out());
    assertEquals("64x64", report.path("imageSize").asText());
    for (String domain : new String[] {"vehicle", "robot"}) {
      for (String head : new String[] {"segmentation", "objectCentres", "depth"}) {
        assertTrue(report.path(domain).path(head).has("model"), domain + " " + head);
      }
      assertTrue(report.path(domain).path("objectCentres").path("model").has("f1"));
      assertEquals(0.0, report.path(domain).path("objectCentres").path("baselineNoDetections").path("f1").asDouble(1));
      assertTrue(report.path(domain).path("depth").path("baselineMeanDepth").path("absRel").asDouble() > 0);
      assertTrue(report.path("beatsBaselines").path(domain).has("depthAbsRel"), domain);
      assertTrue(report.path("beatsBaselines").path(domain).has("objectCentreF1"), domain);
    }
    assertTrue(report.path("vehicle").path("segmentation").path("baselineAllBackground").has("laneMIoU"));
    assertEquals("background", report.path("robot").path("segmentation").path("baselineMajorityClass").path("class")
        .asText());
    assertTrue(report.path("beatsBaselines").path("robot").has("mIoU"));

    Run vehicleOnly = run(new PerceptionCommand(), "eval", "--model", model.toString(), "--scenes", "4",
        "--domains", "vehicle");
    assertEquals(0, vehicleOnly.exit(), vehicleOnly.err());
    JsonNode v = Json.MAPPER.readTree(vehicleOnly.out());
    assertTrue(v.has("vehicle") && !v.has("robot"), vehicleOnly.out());
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
    Run domain = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--domains", "vehicle,boat");
    assertEquals(2, domain.exit());
    assertEquals("perception train: --domains: unknown domain 'boat'; expected vehicle, robot or both",
        domain.err().strip());
    Run empty = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--domains", "");
    assertEquals(2, empty.exit());
    assertEquals(1, empty.err().strip().lines().count(), empty.err());
    assertTrue(empty.err().contains("--domains: empty"), empty.err());
    Run twice = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--domains", "robot,robot");
    assertEquals(2, twice.exit());
    assertTrue(twice.err().contains("given twice"), twice.err());
    Run noRobot = run(new PerceptionCommand(), "train", "--out", tmp.resolve("x").toString(), "--robot",
        tmp.resolve("nosuch.urdf").toString());
    assertEquals(2, noRobot.exit());
    assertEquals(1, noRobot.err().strip().lines().count(), noRobot.err());
    assertTrue(noRobot.err().contains("nosuch.urdf"), noRobot.err());
    assertTrue(!Files.exists(tmp.resolve("x")), "nothing trained or written on bad input");
  }
}
