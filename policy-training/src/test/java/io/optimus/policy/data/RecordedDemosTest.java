package io.optimus.policy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.encode.PixelGridEncoder;
import io.optimus.proto.v1.EpisodeOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Episodes written with the real EpisodeWriter become training samples through EpisodeReader/Dataset. */
class RecordedDemosTest {
  static final int TICKS = 30;
  static final SyntheticReaching WORLD = new SyntheticReaching(TICKS, 32);

  @TempDir Path dir;

  @Test
  void statesCommandsAndTheLatestCameraFrameBecomeSamplesAndFeaturesAreCached() throws Exception {
    Random r = new Random(3);
    SyntheticReaching.Instance a = WORLD.instance(r);
    SyntheticReaching.Instance b = WORLD.instance(r);
    EpisodeFiles.write(dir.resolve("ep-000.mcap"), WORLD, a, TICKS, 32, 3, 6, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1);
    EpisodeFiles.write(dir.resolve("ep-001.mcap"), WORLD, b, TICKS, 32, 3, 6, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1);
    EpisodeFiles.write(dir.resolve("ep-002.mcap"), WORLD, b, TICKS, 32, 3, 6, EpisodeOutcome.EPISODE_OUTCOME_DISCARD, -1);
    PixelGridEncoder enc = new PixelGridEncoder(4);

    DemoSet set = RecordedDemos.load(dir, enc, null, null);
    assertEquals(2, set.episodes().size(), "the discarded episode is left out");
    assertEquals(SyntheticReaching.layout(), set.joints());
    assertEquals(SyntheticReaching.RATE_HZ, set.rateHz());
    assertEquals(enc.id(), set.encoderId());
    EpisodeData e = set.episodes().stream().filter(x -> x.id().equals("ep-000")).findFirst().orElseThrow();
    assertEquals(TICKS, e.length());
    assertTrue(e.success());
    for (int t = 0; t < TICKS; t++) {
      assertArrayEquals(WORLD.command(a, t), e.commanded()[t], 1e-6f, "commanded at " + t);
      assertArrayEquals(t == 0 ? a.start() : WORLD.command(a, t - 1), e.q()[t], 1e-6f, "q at " + t);
    }
    assertArrayEquals(enc.encode(WORLD.render(a), 32, 32), e.features()[TICKS - 1], 1e-6f);
    assertSame(e.features()[3], e.features()[5], "ticks between camera frames share the latest frame");

    Path cache = dir.resolve(RecordedDemos.CACHE_DIR);
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(2, s.count(), "one feature file per used episode");
    }
    DemoSet again = RecordedDemos.load(dir, enc, 1, null);
    assertEquals(1, again.episodes().size());
    assertArrayEquals(set.episodes().get(0).features()[7], again.episodes().get(0).features()[7], 0f);
    assertEquals(32, RecordedDemos.imageSize(dir));

    // A 25 Hz policy learns from every other state of the 50 Hz recording.
    DemoSet half = RecordedDemos.load(dir, enc, null, 25, null);
    EpisodeData h = half.episodes().stream().filter(x -> x.id().equals("ep-000")).findFirst().orElseThrow();
    assertEquals(25.0, half.rateHz());
    assertEquals(TICKS / 2, h.length());
    assertArrayEquals(WORLD.command(a, 8), h.commanded()[4], 1e-6f);
  }

  @Test
  void badRecordingsAreNamed() throws Exception {
    InputException empty = assertThrows(InputException.class, () -> RecordedDemos.load(dir, null, null, null));
    assertTrue(empty.getMessage().contains("no usable episodes"), empty.getMessage());
    InputException missing = assertThrows(InputException.class,
        () -> DemoSets.open(dir.resolve("nope").toString(), null, null, 0, null));
    assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());

    Random r = new Random(4);
    EpisodeFiles.write(dir.resolve("a.mcap"), WORLD, WORLD.instance(r), TICKS, 32, 1, 6,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1);
    EpisodeFiles.write(dir.resolve("b.mcap"), WORLD, WORLD.instance(r), TICKS, 32, 1, 7,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1);
    InputException joints = assertThrows(InputException.class, () -> RecordedDemos.load(dir, null, null, null));
    assertTrue(joints.getMessage().contains("b.mcap") && joints.getMessage().contains("joints differ"), joints.getMessage());
    Files.delete(dir.resolve("b.mcap"));

    EpisodeFiles.write(dir.resolve("c.mcap"), WORLD, WORLD.instance(r), TICKS, 32, 1, 6,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, 5);
    InputException nan = assertThrows(InputException.class, () -> RecordedDemos.load(dir, null, null, null));
    assertTrue(nan.getMessage().contains("c.mcap") && nan.getMessage().contains("not finite"), nan.getMessage());
    Files.delete(dir.resolve("c.mcap"));

    // A truncated file: what was recorded before it stays usable? It is skipped, the others still load.
    byte[] whole = Files.readAllBytes(dir.resolve("a.mcap"));
    Files.write(dir.resolve("d.mcap"), java.util.Arrays.copyOf(whole, whole.length / 3));
    DemoSet set = RecordedDemos.load(dir, null, null, null);
    assertEquals(List.of("a"), set.episodes().stream().map(EpisodeData::id).toList());
    InputException tooMany = assertThrows(InputException.class, () -> RecordedDemos.load(dir, null, 5, null));
    assertTrue(tooMany.getMessage().contains("5 episodes"), tooMany.getMessage());
  }

  /** A recording starts before the robot moves: training starts at the last still tick. */
  @Test
  void demonstrationsStartAtTheFirstCommandedMotion() {
    float[] home = {0.1f, -0.3f};
    List<float[]> idleThenMove = List.of(home.clone(), home.clone(), new float[] {0.1f, -0.3005f}, home.clone(),
        new float[] {0.1f, -0.25f}, new float[] {0.1f, -0.2f});
    assertEquals(3, RecordedDemos.firstMotion(idleThenMove), "sub-tolerance jitter is still idle");
    assertEquals(0, RecordedDemos.firstMotion(List.of(home, new float[] {0.2f, -0.3f})), "moving at once");
    assertEquals(0, RecordedDemos.firstMotion(List.of(home, home.clone(), home.clone())), "never moving: kept whole");
  }

  @Test
  void theReachIntoAMissedGraspIsNotImitatedTheRecoveryIs() throws Exception {
    assertEquals(null, RecordedDemos.missedGrasps(List.of(0, 0, 0), 50), "no miss: every tick imitated");
    List<Integer> counts = new java.util.ArrayList<>(java.util.Collections.nCopies(200, 0));
    for (int t = 120; t < 200; t++) {
      counts.set(t, 1);
    }
    boolean[] m = RecordedDemos.missedGrasps(counts, 50);
    int lead = (int) Math.round(RecordedDemos.MISS_LEAD_S * 50);
    int trail = (int) Math.round(RecordedDemos.MISS_TRAIL_S * 50);
    for (int t = 0; t < 200; t++) {
      assertEquals(t >= 120 - lead && t <= 120 + trail, m[t], "tick " + t);
    }

    // through a real recording: a miss at tick 80 of 120 (50 Hz) leaves ticks lead..trail around it out
    int ticks = 120;
    SyntheticReaching world = new SyntheticReaching(ticks, 32);
    Random r = new Random(5);
    EpisodeFiles.write(dir.resolve("miss.mcap"), world, world.instance(r), ticks, 32, 3, 6,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1, 80);
    EpisodeFiles.write(dir.resolve("clean.mcap"), world, world.instance(r), ticks, 32, 3, 6,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1, -1);
    DemoSet set = RecordedDemos.load(dir, null, null, null);
    EpisodeData miss = set.episodes().stream().filter(x -> x.id().equals("miss")).findFirst().orElseThrow();
    EpisodeData clean = set.episodes().stream().filter(x -> x.id().equals("clean")).findFirst().orElseThrow();
    int at = 80 - (ticks - miss.length()); // the idle start is trimmed; masked ticks stay as context
    int from = 0;
    while (miss.imitated(from)) {
      from++;
    }
    // the task state of a tick is logged after its joint state: the miss shows at that tick or the next
    assertTrue(Math.abs(from - (at - lead)) <= 1, "masked from " + from + ", the miss at " + at);
    for (int t = from; t <= from + lead + trail; t++) {
      assertTrue(!miss.imitated(t), "tick " + t);
    }
    assertTrue(miss.imitated(from + lead + trail + 1), "the recovery after the miss is imitated");
    assertTrue(clean.notImitated() == null);
    ObservationLayout layout = new ObservationLayout(set.joints().size(), 0, false, 4, null);
    SampleWindows w = new SampleWindows(set.episodes(), layout, Normalizer.fit(set.episodes(), null));
    assertEquals(clean.length() + miss.length() - (lead + trail + 1), w.size(), "every clean tick, and the miss's recovery");
  }
}
