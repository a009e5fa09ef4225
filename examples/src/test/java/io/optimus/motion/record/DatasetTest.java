package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.cli.DatasetCommand;
import io.optimus.motion.record.mcap.McapChunkIndex;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.JointState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetTest {
  @TempDir Path dir;

  @BeforeEach
  void recordThreeEpisodes() {
    EpisodeRecorder rec = new EpisodeRecorder(dir, EpisodeWriterTest.fast(), null);
    EpisodeOutcome[] outcomes = {EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, EpisodeOutcome.EPISODE_OUTCOME_FAILURE,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS};
    for (int e = 0; e < 3; e++) {
      EpisodeWriter w = rec.start(header("ep-" + e, robot(8, 2, 16, 500, 30)));
      EpisodeWriterTest.record(w, 8, 300 + 100 * e, e == 2 ? 50 : -1, e == 2 ? 60 : -1);
      rec.stop(outcomes[e], "");
    }
    rec.close();
  }

  @Test
  void infoCountsEpisodesFramesOutcomesRatesAndGaps() throws Exception {
    Dataset d = Dataset.open(dir);
    assertEquals(3, d.episodes().size());
    assertEquals("ep-0", d.episodes().get(0).episodeId());
    DatasetInfo info = d.info();
    assertEquals(3, info.readable());
    assertEquals(300 + 400 + 490, info.stateFrames());
    assertEquals(8, info.joints().count());
    assertEquals("joint_7", info.joints().names().get(7));
    assertEquals(java.util.List.of("head", "wrist1"), info.cameras());
    assertEquals(2, info.outcomes().get("SUCCESS"));
    assertEquals(1, info.outcomes().get("FAILURE"));
    assertEquals(500, info.frameRates().get("/state").nominalHz());
    assertEquals(1187 / 2.394, info.frameRates().get("/state").meanHz(), 1e-6); // 10 ticks missing in ep-2
    // ep-2 misses ticks 50-59: one gap on /state (22 ms), on each camera (frame 3 of 51: 68 ms) and on /operator.
    assertEquals(4, info.gaps().total());
    assertEquals(1, info.gaps().byTopic().get("/state"));
    assertEquals(1, info.gaps().byTopic().get("/camera/head"));
    assertEquals(1, info.gaps().byTopic().get("/operator"));
    assertEquals(0.068, info.gaps().maxGapS(), 1e-9);
    assertEquals(0.022, d.episodes().get(2).rates().get("/state").maxGapS(), 1e-9);
    assertEquals(1, info.gaps().episodesWithGaps());
    // JSON as the CLI prints it.
    JsonNode json = Json.MAPPER.readTree(Json.write(info));
    assertEquals(3, json.get("episodes").asInt());
    assertEquals(1190, json.get("stateFrames").asLong());

    // Random access by episode and time.
    try (EpisodeReader r = d.openEpisode("ep-1")) {
      java.util.List<EpisodeFrame> states = new java.util.ArrayList<>();
      r.frames(Long.MIN_VALUE, Long.MAX_VALUE, java.util.List.of(EpisodeTopics.STATE)).forEachRemaining(states::add);
      assertEquals(400, states.size());
      EpisodeFrame f = states.get(123);
      JointState s = r.stateAt(f.logTimeNs()).orElseThrow();
      assertEquals(f.logTimeNs() == states.get(124).logTimeNs() ? 124 : 123, s.getSequence(), "same log time: the later one");
      assertTrue(r.stateAt(states.get(0).logTimeNs() - 1).isEmpty());
    }
    assertThrows(InputException.class, () -> d.openEpisode("nope"));
    assertThrows(InputException.class, () -> d.openEpisode(3));
    assertThrows(InputException.class, () -> Dataset.open(dir.resolve("missing")));
  }

  @Test
  void validateReportsCorruptionNamingFileAndOffset() throws Exception {
    assertTrue(Dataset.open(dir).validate().ok());
    Path victim = dir.resolve("ep-1.mcap");
    McapChunkIndex ci;
    try (McapReader r = McapReader.open(victim)) {
      ci = r.chunkIndexes().get(r.chunkIndexes().size() / 2);
    }
    byte[] b = Files.readAllBytes(victim);
    b[(int) (ci.chunkStartOffset() + ci.chunkLength() / 2)] ^= 0x40;
    Files.write(victim, b);
    DatasetValidation v = Dataset.open(dir).validate();
    assertFalse(v.ok());
    DatasetValidation.FileReport bad = v.files().stream().filter(f -> f.file().equals("ep-1.mcap")).findFirst().orElseThrow();
    assertTrue(bad.problems().stream().anyMatch(p -> p.contains(victim.toString()) && p.contains("at byte "
        + ci.chunkStartOffset())), bad.problems().toString());
    assertEquals(2, v.files().stream().filter(DatasetValidation.FileReport::ok).count());
  }

  @Test
  void garbageTruncatedAndMissingFilesAreReportedNotFatal() throws Exception {
    Dataset.open(dir); // writes the index
    byte[] junk = new byte[3000];
    new Random(3).nextBytes(junk);
    Files.write(dir.resolve("junk.mcap"), junk);
    byte[] good = Files.readAllBytes(dir.resolve("ep-2.mcap"));
    Files.write(dir.resolve("cut.mcap"), Arrays.copyOf(good, good.length * 2 / 3));
    Files.move(dir.resolve("ep-0.mcap"), dir.resolve("ep-0.bak"));
    Dataset d = Dataset.open(dir);
    assertEquals(4, d.episodes().size());
    DatasetInfo info = d.info();
    assertEquals(2, info.readable());
    assertTrue(info.unreadable().stream().anyMatch(u -> u.startsWith("junk.mcap: ") && u.contains("at byte 0")),
        info.unreadable().toString());
    assertTrue(info.unreadable().stream().anyMatch(u -> u.startsWith("cut.mcap: ") && u.contains("recover")));
    assertTrue(d.indexProblems().stream().anyMatch(p -> p.contains("ep-0.mcap") && p.contains("missing")));
    assertFalse(d.validate().ok());
    // A broken index file is rebuilt, and says so.
    Files.writeString(dir.resolve(Dataset.INDEX_FILE), "{not json");
    Dataset again = Dataset.open(dir);
    assertEquals(4, again.episodes().size());
    assertTrue(again.indexProblems().get(0).contains("unreadable index"));
    assertEquals(4, Dataset.open(dir).episodes().size());
    assertTrue(Dataset.open(dir).indexProblems().isEmpty());
  }

  @Test
  void headerTagsAreIndexedAndDecideWhetherAFailedEpisodeIsTrainable() throws Exception {
    EpisodeRecorder rec = new EpisodeRecorder(dir, EpisodeWriterTest.fast(), null);
    EpisodeWriter w = rec.start(header("ep-3", robot(8, 2, 16, 500, 30)).toBuilder()
        .putTags(EpisodeEntry.LABELS_TAG, EpisodeEntry.EXPERT_LABELS).build());
    EpisodeWriterTest.record(w, 8, 100, -1, -1);
    rec.stop(EpisodeOutcome.EPISODE_OUTCOME_FAILURE, "");
    rec.close();
    java.util.Map<String, EpisodeEntry> byId = new java.util.HashMap<>();
    Dataset.open(dir).episodes().forEach(e -> byId.put(e.episodeId(), e));
    assertEquals("expert", byId.get("ep-3").tags().get("labels"));
    assertTrue(byId.get("ep-3").trainable(), "failed, but every state labelled by an expert");
    assertFalse(byId.get("ep-1").trainable(), "failed");
    assertTrue(byId.get("ep-0").trainable());

    // an index written before tags were indexed: its rows are described again, not taken without tags
    Path index = dir.resolve(Dataset.INDEX_FILE);
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        Json.MAPPER.readTree(index.toFile());
    root.withArray("episodes").forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("tags"));
    Files.writeString(index, Json.MAPPER.writeValueAsString(root));
    EpisodeEntry again = Dataset.open(dir).episodes().stream().filter(e -> e.episodeId().equals("ep-3")).findFirst()
        .orElseThrow();
    assertTrue(again.trainable(), again.tags().toString());
    assertTrue(Json.MAPPER.readTree(index.toFile()).get("episodes").get(0).has("tags"), "the index was rewritten");
  }

  private static int run(String[] args, StringWriter out) {
    CommandLine cli = new CommandLine(new DatasetCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      if (ex instanceof InputException) {
        out.write("INPUT-ERROR " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  @Test
  void cliInfoValidateAndRecover() throws Exception {
    StringWriter out = new StringWriter();
    assertEquals(0, run(new String[] {"info", dir.toString()}, out));
    assertEquals(3, Json.MAPPER.readTree(out.toString()).get("episodes").asInt());
    out = new StringWriter();
    assertEquals(0, run(new String[] {"validate", dir.toString()}, out));
    assertTrue(out.toString().contains("valid: 3 episodes"), out.toString());

    byte[] good = Files.readAllBytes(dir.resolve("ep-2.mcap"));
    Path cut = dir.resolve("ep-2.mcap");
    Files.write(cut, Arrays.copyOf(good, good.length - 1000));
    out = new StringWriter();
    assertEquals(1, run(new String[] {"validate", dir.toString()}, out));
    assertTrue(out.toString().contains("CORRUPT ep-2.mcap"), out.toString());
    assertTrue(out.toString().contains("recover"), out.toString());

    out = new StringWriter();
    assertEquals(0, run(new String[] {"recover", cut.toString()}, out));
    JsonNode rep = Json.MAPPER.readTree(out.toString());
    assertTrue(rep.get("messages").asLong() > 400);
    assertTrue(Files.exists(dir.resolve("ep-2.mcap.unfinished")));
    out = new StringWriter();
    assertEquals(0, run(new String[] {"validate", dir.toString()}, out), out.toString());
    try (EpisodeReader r = EpisodeReader.open(cut)) {
      assertTrue(r.outcome().isEmpty() || r.outcome().isPresent()); // readable again
      assertNotNull(r.metadata("recovery").get("stopped_at_byte"));
    }
    out = new StringWriter();
    assertEquals(0, run(new String[] {"recover", cut.toString()}, out));
    assertTrue(out.toString().contains("nothing to recover"));
    out = new StringWriter();
    assertEquals(2, run(new String[] {"info", dir.resolve("nope").toString()}, out));
    assertTrue(out.toString().contains("no such directory"), out.toString());
    assertNull(null);
  }
}
