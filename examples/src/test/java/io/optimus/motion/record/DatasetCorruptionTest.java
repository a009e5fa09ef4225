package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.cli.DatasetCommand;
import io.optimus.motion.record.mcap.McapChannel;
import io.optimus.motion.record.mcap.McapChunkIndex;
import io.optimus.motion.record.mcap.McapMessage;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.NodeMcapReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real recordings damaged the ways disks and copies damage them (flipped bits in one chunk, a broken
 * length field, garbage in the middle, a cut): validate names the file, the chunk and the byte offset
 * and goes on; recover keeps every chunk that still decodes, counted against the intact file.
 */
class DatasetCorruptionTest {
  @TempDir Path dir;

  /** One chunk of the intact file, in file order: its index record and its messages per topic. */
  record Chunk(McapChunkIndex index, Map<String, Integer> topics, int messages) {
    long payloadStart() {
      return index.chunkStartOffset() + 9 + 8 + 8 + 8 + 4 + 4 + index.compression().length() + 8;
    }
  }

  private List<Chunk> chunks;
  private Map<String, Integer> total;

  @BeforeEach
  void recordThreeEpisodesInSmallChunks() throws Exception {
    // 64 KiB chunks: each episode has a dozen or more, so one bad chunk is a small part of it.
    EpisodeWriter.Options small = new EpisodeWriter.Options(16384, 256L << 20, 500_000_000L, 64 << 10, 3, false,
        Map.of(), true);
    EpisodeRecorder rec = new EpisodeRecorder(dir, small, null);
    for (int e = 0; e < 3; e++) {
      EpisodeWriter w = rec.start(header("ep-" + e, robot(52, 2, 32, 500, 30)));
      EpisodeWriterTest.record(w, 52, 1200, -1, -1);
      rec.stop();
    }
    rec.close();
    chunks = layout(dir.resolve("ep-0.mcap"));
    total = new TreeMap<>();
    chunks.forEach(c -> c.topics().forEach((t, n) -> total.merge(t, n, Integer::sum)));
    assertTrue(chunks.size() >= 10, "chunks: " + chunks.size());
  }

  private static List<Chunk> layout(Path file) throws Exception {
    List<Chunk> out = new ArrayList<>();
    try (McapReader r = McapReader.open(file)) {
      List<McapChunkIndex> byOffset = new ArrayList<>(r.chunkIndexes());
      byOffset.sort(Comparator.comparingLong(McapChunkIndex::chunkStartOffset));
      for (McapChunkIndex ci : byOffset) {
        Map<String, Integer> topics = new TreeMap<>();
        List<McapMessage> ms = r.loadChunk(ci, id -> true);
        for (McapMessage m : ms) {
          McapChannel c = r.channels().get(m.channelId());
          topics.merge(c.topic(), 1, Integer::sum);
        }
        out.add(new Chunk(ci, topics, ms.size()));
      }
    }
    return out;
  }

  private static int run(StringWriter out, String... args) {
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

  /** Message counts per topic in a file, by the official reader when available, else by ours. */
  private static Map<String, Integer> topics(Path file) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    if (NodeMcapReader.unavailable().isEmpty()) {
      JsonNode json = NodeMcapReader.read(file);
      json.get("topics").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get("count").asInt()));
      assertEquals(json.get("messageCount").asLong(), json.get("streamedMessages").asLong());
      return out;
    }
    for (Chunk c : layout(file)) {
      c.topics().forEach((t, n) -> out.merge(t, n, Integer::sum));
    }
    return out;
  }

  /** The intact topic counts minus those of the given chunks. */
  private Map<String, Integer> totalWithout(int... lost) {
    Map<String, Integer> m = new TreeMap<>(total);
    for (int k : lost) {
      chunks.get(k).topics().forEach((t, n) -> m.merge(t, -n, Integer::sum));
    }
    m.values().removeIf(n -> n == 0);
    return m;
  }

  /** Recovers {@code file} through the CLI into OUT and returns the per-topic counts of OUT (without recovery's own metadata). */
  private Map<String, Integer> recover(Path file, String name) throws Exception {
    Path out = dir.resolve(name);
    StringWriter o = new StringWriter();
    assertEquals(0, run(o, "recover", file.toString(), "-o", out.toString()), o.toString());
    JsonNode rep = Json.MAPPER.readTree(o.toString());
    System.out.println("recover " + name + ": " + rep);
    StringWriter v = new StringWriter();
    assertEquals(0, run(v, "validate", out.toString()), "the recovered file validates: " + v);
    return topics(out);
  }

  @Test
  void fiftyFlippedBitsInOneChunkAreNamedByFileChunkAndOffsetAndRecoveryKeepsEveryOtherChunk() throws Exception {
    Path victim = dir.resolve("ep-0.mcap");
    int k = chunks.size() / 2;
    Chunk bad = chunks.get(k);
    byte[] b = Files.readAllBytes(victim);
    Random rnd = new Random(50);
    for (int i = 0; i < 50; i++) {
      int at = (int) (bad.payloadStart() + rnd.nextInt((int) bad.index().compressedSize()));
      b[at] ^= (byte) (1 << rnd.nextInt(8));
    }
    Files.write(victim, b);
    // A second file with a bad chunk: validate must not stop at the first.
    Path other = dir.resolve("ep-1.mcap");
    List<Chunk> otherChunks = layout(other);
    Chunk otherBad = otherChunks.get(1);
    byte[] ob = Files.readAllBytes(other);
    ob[(int) (otherBad.payloadStart() + otherBad.index().compressedSize() / 2)] ^= 0x10;
    Files.write(other, ob);

    StringWriter out = new StringWriter();
    assertEquals(1, run(out, "validate", dir.toString()), out.toString());
    String report = out.toString();
    assertTrue(report.contains("CORRUPT ep-0.mcap"), report);
    assertTrue(report.contains(victim + ": chunk " + k + " at byte " + bad.index().chunkStartOffset() + ": "), report);
    assertTrue(report.contains(other + ": chunk 1 at byte " + otherBad.index().chunkStartOffset() + ": "), report);
    assertTrue(report.contains("OK      ep-2.mcap"), report);
    assertFalse(report.contains("INPUT-ERROR"), report);
    assertFalse(report.contains("Exception"), report);

    assertEquals(totalWithout(k), recover(victim, "ep-0.recovered.mcap"));
    // In place (the default), as an operator would run it: the original is kept aside.
    StringWriter o = new StringWriter();
    assertEquals(0, run(o, "recover", other.toString()), o.toString());
    JsonNode rep = Json.MAPPER.readTree(o.toString());
    assertEquals(1, rep.get("skipped").size(), rep.toString());
    assertTrue(rep.get("skipped").get(0).asText().startsWith("chunk 1 at byte " + otherBad.index().chunkStartOffset()));
    assertEquals(otherChunks.stream().mapToInt(Chunk::messages).sum() - otherBad.messages(), rep.get("messages").asInt());
    assertTrue(Files.exists(dir.resolve("ep-1.mcap.unfinished")));
  }

  @Test
  void aBrokenLengthFieldIsResyncedPastAndOnlyThatChunkIsLost() throws Exception {
    Path victim = dir.resolve("ep-0.mcap");
    int k = 3;
    Chunk bad = chunks.get(k);
    byte[] b = Files.readAllBytes(victim);
    int lengthAt = (int) bad.index().chunkStartOffset() + 1;
    b[lengthAt + 5] = 0x7f; // the chunk now claims ~500 TB: the framing after it is lost
    Files.write(victim, b);

    StringWriter out = new StringWriter();
    assertEquals(1, run(out, "validate", victim.toString()), out.toString());
    assertTrue(out.toString().contains(victim + " at byte " + bad.index().chunkStartOffset() + ": truncated Chunk record"),
        out.toString());
    assertTrue(out.toString().contains("framing resumes at byte "), out.toString());
    assertEquals(totalWithout(k), recover(victim, "length.mcap"));
  }

  @Test
  void garbageInTheMiddleIsSkippedAndNothingIsLost() throws Exception {
    Path victim = dir.resolve("ep-0.mcap");
    Chunk next = chunks.get(5);
    byte[] b = Files.readAllBytes(victim);
    int at = (int) next.index().chunkStartOffset(); // between chunk 4's message indexes and chunk 5
    byte[] junk = new byte[1000];
    new Random(7).nextBytes(junk);
    byte[] spliced = new byte[b.length + junk.length];
    System.arraycopy(b, 0, spliced, 0, at);
    System.arraycopy(junk, 0, spliced, at, junk.length);
    System.arraycopy(b, at, spliced, at + junk.length, b.length - at);
    Files.write(victim, spliced);

    StringWriter out = new StringWriter();
    assertEquals(1, run(out, "validate", victim.toString()), out.toString());
    assertTrue(out.toString().contains(victim + " at byte " + at + ": "), out.toString());
    assertTrue(out.toString().contains("framing resumes at byte " + (at + junk.length) + " (1000 bytes skipped)"),
        out.toString());
    assertEquals(total, recover(victim, "garbage.mcap"));
  }

  @Test
  void aCutFileKeepsEveryChunkBeforeTheCut() throws Exception {
    Path victim = dir.resolve("ep-0.mcap");
    int k = chunks.size() - 3;
    Chunk cut = chunks.get(k);
    byte[] b = Files.readAllBytes(victim);
    Files.write(victim, Arrays.copyOf(b, (int) (cut.payloadStart() + cut.index().compressedSize() / 2)));
    int[] lost = java.util.stream.IntStream.range(k, chunks.size()).toArray();
    Map<String, Integer> expected = totalWithout(lost);
    Map<String, Integer> got = recover(victim, "cut.mcap");
    got.remove("/episode/outcome"); // only in the last chunk, which was cut off
    expected.remove("/episode/outcome");
    assertEquals(expected, got);
  }
}
