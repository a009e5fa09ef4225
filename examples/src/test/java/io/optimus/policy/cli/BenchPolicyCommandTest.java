package io.optimus.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.policy.eval.OptimusPolicyFixture;
import io.optimus.policy.train.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark's whole path (train per backbone and demo count, closed-loop evaluation, table) on
 * the fixture's recorded demonstrations, at toy sizes: it checks the machinery, not the targets.
 */
class BenchPolicyCommandTest {
  @TempDir Path tmp;

  @Test
  void trainsEvaluatesAndTabulatesEachDemonstrationCount() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, miniBench(out, "--sizes", "2,4", "--steps", "3"));
    JsonNode r = Json.MAPPER.readTree(out.toString());
    assertEquals(OptimusPolicyFixture.DEMOS, r.get("usableDemonstrations").asInt());
    assertEquals(0.3, r.get("recordedDemonstrations").get("fumbleRate").asDouble(), "the bench's default");
    assertEquals(2, r.get("table").size(), r.toString());
    assertEquals(2, r.get("table").get(0).get("demos").asInt());
    assertEquals("scratch", r.get("table").get(1).get("backbone").asText());
    assertEquals(4, r.get("headline").get("demos").asInt());
    assertTrue(r.get("headline").get("inference").get("policyStepCpuMsP50").asDouble() > 0);
    assertTrue(r.get("notes").toString().contains("no --backbone"), r.get("notes").toString());
    assertTrue(Files.isRegularFile(tmp.resolve("work/scratch-4/model.params")));
  }

  @Test
  void everyColumnSeesTheCamerasAskedFor() throws Exception {
    assertEquals(0, miniBench(new ByteArrayOutputStream(), "--sizes", "3", "--steps", "2", "--cameras", "head,right_wrist"));
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    JsonNode run = Json.MAPPER.readTree(tmp.resolve("work/scratch-3/config.json").toFile());
    assertEquals("[\"head\",\"right_wrist\"]", run.get("cameras").toString());
    io.optimus.common.InputException bad = org.junit.jupiter.api.Assertions.assertThrows(
        io.optimus.common.InputException.class, () -> CommandLine.populateCommand(new BenchPolicyCommand(),
            "--demos", f.demos.toString(), "--cameras", "head,head", "--work", tmp.resolve("w2").toString()).call());
    assertTrue(bad.getMessage().contains("cameras") && bad.getMessage().contains("repeat"), bad.getMessage());
  }

  /**
   * The bench at toy sizes on the fixture's demonstrations (a tiny ACT, one 0.4 s episode a column, into
   * tmp/work) with {@code args} added; its standard output into {@code out}. Returns its exit code.
   */
  private int miniBench(ByteArrayOutputStream out, String... args) throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    Path config = tmp.resolve("c.json");
    Files.writeString(config, """
        {"kind": "act", "chunk": 5, "dModel": 16, "heads": 2, "encoderLayers": 1, "feedForward": 32,
         "batchSize": 16, "threads": 1, "validationFraction": 0.3}
        """);
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--demos", f.demos.toString(),
        "--episodes", "1", "--timeout", "0.4", "--config", config.toString(), "--work", tmp.resolve("work").toString()));
    all.addAll(java.util.List.of(args));
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(out, true));
      return CommandLine.populateCommand(new BenchPolicyCommand(), all.toArray(String[]::new)).call();
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void anUnknownGazeOrFumbleRateIsNamed() {
    io.optimus.common.InputException gaze = org.junit.jupiter.api.Assertions.assertThrows(
        io.optimus.common.InputException.class, () -> CommandLine.populateCommand(new BenchPolicyCommand(),
            "--demos", tmp.resolve("d").toString(), "--demo-gaze", "sideways").call());
    assertTrue(gaze.getMessage().contains("--demo-gaze") && gaze.getMessage().contains("sideways"), gaze.getMessage());
    io.optimus.common.InputException rate = org.junit.jupiter.api.Assertions.assertThrows(
        io.optimus.common.InputException.class, () -> CommandLine.populateCommand(new BenchPolicyCommand(),
            "--demos", tmp.resolve("d").toString(), "--demo-fumbles", "1.5").call());
    assertTrue(rate.getMessage().contains("--demo-fumbles") && rate.getMessage().contains("1.5"), rate.getMessage());
  }

  /** The typed default is the config the bench trained with when it was written as JSON fields. */
  @Test
  void theDefaultConfigIsTheOneTheBenchAlwaysUsed() throws Exception {
    JsonNode fields = Json.MAPPER.readTree("""
        {"kind": "act", "chunk": 20, "dModel": 256, "heads": 8, "encoderLayers": 2, "feedForward": 512,
         "batchSize": 64, "steps": 6000, "learningRate": 1e-3, "rateHz": 50, "featureStride": 8, "keypoints": 16,
         "evalEvery": 250, "checkpointEvery": 1000}
        """);
    assertEquals(RunConfig.fromJson(fields, "bench default, as JSON"), BenchPolicyCommand.defaultConfig());
    RunConfig pixels = BenchPolicyCommand.withEncoder(BenchPolicyCommand.defaultConfig(), "pixels:48");
    assertEquals("pixels:48", pixels.policy().encoder().spec());
    assertEquals(8, pixels.policy().encoder().featureStride());
  }
}
