package io.optimus.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.InputException;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.policy.RunFiles;
import io.optimus.policy.eval.ScriptedDemos;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TestConfigs;
import io.optimus.policy.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.optimus.teleop.scripted.TakeoverRule;

/**
 * Two rounds of the data engine for real, at toy sizes: scripted demonstrations recorded in the kinematic
 * world, a tiny policy trained on them with DJL, supervised rollouts, aggregation, retraining and
 * closed-loop evaluation; every round's dataset, run and metrics kept.
 */
class EngineRoundTest {
  static final EngineRound.Options OPTIONS = new EngineRound.Options("optimus", "pick-place", SimulatedWorlds.KINEMATIC,
      1, 5, 1, 1000, 10, TakeoverRule.DEFAULT, 40);

  /** A few scripted demonstrations and a tiny policy trained on them (the engine's starting point). */
  static Path[] start(Path dir) throws Exception {
    Path demos = dir.resolve("demos");
    new ScriptedDemos("optimus", 30).world(SimulatedWorlds.KINEMATIC).record(demos, "pick-place", 2, 3, null);
    Path run = dir.resolve("start-run");
    new TrainingRun(demos.toString(), TestConfigs.tiny("mlp", 40), run).run();
    return new Path[] {demos, run};
  }

  @Test
  void aRoundKeepsItsDatasetRunAndMetricsAndTheNextAggregatesIt(@TempDir Path dir) throws Exception {
    Path[] s = start(dir);
    Path demos = s[0];
    Set<String> base = names(demos);
    assertTrue(base.size() >= 1, "scripted demonstrations recorded: " + base);

    RoundMetrics one = EngineRound.run(s[1], demos, OPTIONS, null);
    assertEquals(1, one.round());
    Path r1 = EngineRounds.roundDir(demos, 1);
    assertEquals(r1.resolve("dataset").toString(), one.dataset());
    assertTrue(Files.isRegularFile(new RunFiles(r1.resolve("run")).meta()), "round 1's run was trained");
    assertEquals(1, one.rollouts().episodes());
    assertEquals(1, one.rollouts().interventions(), "a 40-step policy strays: " + one.rollouts());
    assertEquals(1, one.eval().episodes());
    assertEquals("scratch", one.training().mode());
    assertEquals(40, one.training().steps());
    Set<String> d1 = names(r1.resolve("dataset"));
    assertTrue(d1.containsAll(base), "the round's dataset holds the earlier data: " + d1);
    Set<String> fixes = d1.stream().filter(n -> n.startsWith("round-1-fix-")).collect(Collectors.toSet());
    assertEquals(one.rollouts().interventions(), fixes.size(), "a corrective segment per takeover: " + d1);
    assertEquals(base.size() + fixes.size(), d1.size());
    assertEquals(base, names(demos), "the starting dataset is not touched");
    long fixFrames = Dataset.open(r1.resolve("dataset")).episodes().stream()
        .filter(e -> e.file().startsWith("round-1-fix-")).mapToLong(EpisodeEntry::stateFrames).sum();
    assertEquals(one.rollouts().interventionFrames(), fixFrames);

    RoundMetrics two = EngineRound.run(Path.of(one.run()), demos, OPTIONS, null);
    assertEquals(2, two.round());
    assertEquals(one.run(), two.policy());
    Set<String> d2 = names(EngineRounds.roundDir(demos, 2).resolve("dataset"));
    assertTrue(d2.containsAll(d1), "round 2 keeps round 1's data: " + d2);
    assertEquals(d1.size() + two.rollouts().interventions(), d2.size());
    assertEquals(EngineRounds.usable(Path.of(two.dataset())).size(), two.datasetEpisodes());

    List<RoundMetrics> listed = EngineRounds.list(demos);
    assertEquals(List.of(0, 1, 2), listed.stream().map(RoundMetrics::round).toList());
    assertEquals(RoundMetrics.START, listed.get(0).kind());
    assertEquals(s[1].toString(), listed.get(0).run());
    assertEquals(one, listed.get(1), "metrics.json reads back as written");
  }

  @Test
  void garbageMetricsAreAOneLineErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path round = EngineRounds.roundDir(dir, 1);
    Files.createDirectories(round);
    Path metrics = round.resolve(EngineRounds.METRICS);
    for (String garbage : List.of("{\"round\": 1, \"kind\": \"engine\"", "not json at all", "{\"round\": \"x\"}",
        "{}", "[1, 2]", "{\"round\": NaN}")) {
      Files.writeString(metrics, garbage);
      InputException e = assertThrows(InputException.class, () -> EngineRounds.list(dir), garbage);
      assertTrue(e.getMessage().startsWith(metrics + ": not a round's metrics"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void anUnfinishedRoundIsSetAsideNotDeleted(@TempDir Path dir) throws Exception {
    Path round = EngineRounds.roundDir(dir, 1);
    Files.createDirectories(round.resolve("dataset"));
    Files.writeString(round.resolve("dataset").resolve("x.mcap"), "recorded");
    EngineRounds.setAsideUnfinished(round);
    assertTrue(!Files.exists(round));
    assertEquals("recorded", Files.readString(round.resolveSibling("round-1.unfinished-1").resolve("dataset/x.mcap")));
    assertNotNull(EngineRounds.list(dir));
    assertEquals(List.of(), EngineRounds.list(dir));
  }

  static Set<String> names(Path dataset) throws Exception {
    try (var s = Files.list(dataset)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(Dataset.EXTENSION))
          .collect(Collectors.toSet());
    }
  }
}
