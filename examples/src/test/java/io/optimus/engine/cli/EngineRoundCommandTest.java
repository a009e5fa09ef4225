package io.optimus.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.policy.engine.EngineRounds;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.engine.RoundMetrics;
import io.optimus.teleop.scripted.TakeoverRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optimus engine round} / {@code engine rounds} through the CLI: listings, and bad input as one line, exit 2. */
class EngineRoundCommandTest {
  static EngineClipsCommandTest.Run run(String... args) {
    return EngineClipsCommandTest.run(args);
  }

  static void assertOneLineError(EngineClipsCommandTest.Run r, String prefix, String... mentions) {
    assertEquals(2, r.code(), r.err());
    String line = r.err().strip();
    assertTrue(!line.contains("\n") && !line.contains("Exception") && line.startsWith(prefix), r.err());
    for (String m : mentions) {
      assertTrue(line.contains(m), "'" + m + "' in: " + line);
    }
  }

  @Test
  void aMissingRunIsOneLineNamingIt(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("no-such-run");
    assertOneLineError(run("engine", "round", "--run", missing.toString(), "--dataset", dir.toString()),
        "optimus engine round: --run " + missing, "no such policy run");
    Path notARun = Files.createDirectories(dir.resolve("not-a-run"));
    assertOneLineError(run("engine", "round", "--run", notARun.toString(), "--dataset", dir.toString()),
        "optimus engine round: --run " + notARun, "not a trained policy run");
  }

  @Test
  void anEmptyOrUnusableDatasetIsOneLineNamingIt(@TempDir Path dir) throws Exception {
    Path runDir = Files.createDirectories(dir.resolve("run"));
    Files.writeString(runDir.resolve("config.json"), "{}");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", empty.toString(),
        "--world", "kinematic"), "optimus engine round: --dataset " + empty, "no usable episodes");
    Path garbage = Files.createDirectories(dir.resolve("garbage"));
    Files.write(garbage.resolve("ep.mcap"), new byte[] {(byte) 0x89, 'M', 'C', 'A', 'P', 0x30, '\r', '\n', 1, 2, 3});
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", garbage.toString(),
        "--world", "kinematic"), "optimus engine round: --dataset " + garbage, "no usable episodes");
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", empty.toString(),
        "--dataset", empty.toString(), "--episodes", "0"), "optimus engine round:");
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", empty.toString(),
        "--world", "mars"), "optimus engine round: --world 'mars' is unknown");
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", empty.toString(),
        "--takeover-margin", "NaN"), "optimus engine round: takeover margin");
    assertOneLineError(run("engine", "round", "--run", runDir.toString(), "--dataset", empty.toString(),
        "--task", "juggle"), "optimus engine round:", "juggle");
  }

  @Test
  void garbageMetricsAreOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    Path metrics = Files.createDirectories(EngineRounds.roundDir(dir, 1)).resolve(EngineRounds.METRICS);
    Files.writeString(metrics, "{\"round\": 1, \"kind\": \"eng");
    assertOneLineError(run("engine", "rounds", dir.toString()), "optimus engine rounds: " + metrics,
        "not a round's metrics");
    assertOneLineError(run("engine", "rounds", dir.resolve("nowhere").toString()), "optimus engine rounds:",
        "no such dataset directory");
  }

  @Test
  void listsTheRoundsAsJsonAndATable(@TempDir Path dir) throws Exception {
    RoundMetrics.Evaluation ev = new RoundMetrics.Evaluation(10, 1000, 20, 3, 0.3, 7.5,
        new PolicyEvaluator.Stages(8, 5, 4, 3, 1, 0));
    EngineRounds.write(EngineRounds.roundDir(dir, 0), new RoundMetrics(0, RoundMetrics.START, "pick-place",
        "kinematic", "start-run", dir.toString(), "start-run", 4, 15000, null, null, null, ev, TakeoverRule.DEFAULT,
        "2026-12-07T00:00:00Z", 12));
    EngineRounds.write(EngineRounds.roundDir(dir, 1), new RoundMetrics(1, RoundMetrics.ENGINE, "pick-place",
        "kinematic", "start-run", "d1", "r1", 7, 20000, null, new RoundMetrics.Added(3, 5000),
        new RoundMetrics.Training("scratch", 300, 8, 0.08), new RoundMetrics.Evaluation(10, 1000, 20, 5, 0.5, 6.25, null),
        TakeoverRule.DEFAULT, "2026-12-07T00:01:00Z", 40));
    Files.createDirectories(EngineRounds.roundDir(dir, 2)); // unfinished: not listed
    EngineClipsCommandTest.Run r = run("engine", "rounds", dir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertEquals(2, j.size());
    assertEquals(1, j.get(1).get("round").asInt());
    assertEquals(0.5, j.get(1).get("eval").get("successRate").asDouble());
    assertEquals(5000, j.get(1).get("added").get("frames").asLong());
    assertEquals(5, j.get(0).get("eval").get("stages").get("grasped").asInt());
    assertTrue(r.err().contains("3/10") && r.err().contains("5/10"), r.err());
  }
}
