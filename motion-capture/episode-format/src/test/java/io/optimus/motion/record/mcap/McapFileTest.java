package io.optimus.motion.record.mcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.record.ProtoSchemas;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McapFileTest {
  @TempDir Path dir;

  static final long T0 = 1_700_000_000_000_000_000L;

  /** Writes {@code n} JointStates on "/a" and every 3rd also on "/b", 2 ms apart, in small chunks. */
  static Path writeSample(Path file, int n, McapWriter.Options options) throws IOException {
    try (McapWriter w = McapWriter.create(file, options)) {
      int schema = w.addSchema("optimus.v1.JointState", Mcap.PROTOBUF,
          ProtoSchemas.fileDescriptorSet(JointState.getDescriptor()));
      int a = w.addChannel(schema, "/a", Mcap.PROTOBUF, Map.of("rate_hz", "500"));
      int b = w.addChannel(schema, "/b", Mcap.PROTOBUF, Map.of());
      w.addMetadata("episode", Map.of("task", "pick-place", "operator", "op1"));
      for (int i = 0; i < n; i++) {
        long t = T0 + i * 2_000_000L;
        byte[] data = state(i, t).toByteArray();
        w.addMessage(a, i, t, t, data);
        if (i % 3 == 0) {
          w.addMessage(b, i / 3, t, t, data);
        }
      }
      w.addMetadata("outcome", Map.of("outcome", "success"));
    }
    return file;
  }

  static JointState state(int i, long t) {
    JointState.Builder s = JointState.newBuilder().setSequence(i)
        .setStamp(Timestamp.newBuilder().setWallNs(t).setMonotonicNs(t - T0));
    for (int j = 0; j < 20; j++) {
      s.addPosition(Math.sin(i * 0.01 + j)).addVelocity(j).addEffort(-j).addCommandedPosition(i);
    }
    return s.build();
  }

  static McapWriter.Options small() {
    return McapWriter.Options.defaults().withChunkBytes(16 * 1024).withFsync(false);
  }

  @Test
  void roundTripKeepsEveryMessageInOrderWithMetadataAndStatistics() throws Exception {
    Path f = writeSample(dir.resolve("a.mcap"), 2000, small());
    try (McapReader r = McapReader.open(f)) {
      assertEquals(2, r.channels().size());
      assertEquals("optimus.v1.JointState", r.schemas().get(1).name());
      assertTrue(r.chunkIndexes().size() > 5, "several chunks: " + r.chunkIndexes().size());
      McapStatistics st = r.statistics();
      assertEquals(2000 + 667, st.messageCount());
      assertEquals(T0, st.messageStartTime());
      assertEquals(T0 + 1999 * 2_000_000L, st.messageEndTime());
      assertEquals(List.of("episode", "outcome"), r.metadata().stream().map(McapMetadata::name).toList());
      assertEquals("pick-place", r.metadata().get(0).values().get("task"));
      int onA = 0;
      long last = Long.MIN_VALUE;
      for (Iterator<McapMessage> it = r.messages(); it.hasNext(); ) {
        McapMessage m = it.next();
        assertTrue(m.logTime() >= last);
        last = m.logTime();
        if (m.channelId() == r.channel("/a").id()) {
          JointState s = JointState.parseFrom(m.data());
          assertEquals(onA, s.getSequence());
          assertEquals(state(onA, m.logTime()), s);
          onA++;
        }
      }
      assertEquals(2000, onA);
      // Time-range query touches only overlapping chunks and honours [from, to).
      List<McapMessage> range = new ArrayList<>();
      int b = r.channel("/b").id();
      r.messages(T0 + 300 * 2_000_000L, T0 + 600 * 2_000_000L, id -> id == b).forEachRemaining(range::add);
      assertEquals(100, range.size());
      assertEquals(100, range.get(0).sequence());
      // Random access: the last /a message at or before a time between two messages.
      McapMessage at = r.lastAtOrBefore(r.channel("/a").id(), T0 + 1234 * 2_000_000L + 1_000_000L);
      assertEquals(1234, at.sequence());
      assertEquals(null, r.lastAtOrBefore(r.channel("/a").id(), T0 - 1));
    }
    McapValidation v = McapValidator.validate(f);
    assertTrue(v.ok(), v.problems().toString());
    assertEquals(2667, v.messages());
  }

  @Test
  void uncompressedChunksRoundTripToo() throws Exception {
    Path f = writeSample(dir.resolve("raw.mcap"), 300, small().withCompression(Mcap.COMPRESSION_NONE));
    try (McapReader r = McapReader.open(f)) {
      List<McapMessage> all = new ArrayList<>();
      r.messages().forEachRemaining(all::add);
      assertEquals(400, all.size());
      assertEquals("", r.chunkIndexes().get(0).compression());
    }
  }

  @Test
  void chunkCrcCorruptionIsDetectedAndNamesTheOffset() throws Exception {
    Path f = writeSample(dir.resolve("c.mcap"), 500, small().withCompression(Mcap.COMPRESSION_NONE));
    McapChunkIndex victim;
    try (McapReader r = McapReader.open(f)) {
      victim = r.chunkIndexes().get(2);
    }
    byte[] bytes = Files.readAllBytes(f);
    int at = (int) (victim.chunkStartOffset() + victim.chunkLength() - 5); // inside the last message's payload
    bytes[at] ^= 0x01;
    Files.write(f, bytes);
    McapValidation v = McapValidator.validate(f);
    assertFalse(v.ok());
    assertTrue(v.problems().stream().anyMatch(p -> p.contains("CRC mismatch")
        && p.contains("byte " + victim.chunkStartOffset())), v.problems().toString());
    try (McapReader r = McapReader.open(f)) {
      McapException e = assertThrows(McapException.class, () -> r.messages().forEachRemaining(m -> { }));
      assertEquals(victim.chunkStartOffset(), e.offset());
      assertTrue(e.getMessage().contains(f.toString()));
    }
  }

  @Test
  void dataSectionCrcCatchesCorruptionOutsideChunks() throws Exception {
    Path f = writeSample(dir.resolve("d.mcap"), 200, small());
    byte[] bytes = Files.readAllBytes(f);
    int at = indexOf(bytes, "pick-place".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes[at] = 'P'; // inside the "episode" Metadata record: no chunk CRC covers it
    Files.write(f, bytes);
    McapValidation v = McapValidator.validate(f);
    assertFalse(v.ok());
    assertTrue(v.problems().stream().anyMatch(p -> p.contains("data section CRC mismatch")), v.problems().toString());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void summaryCorruptionIsDetected() throws Exception {
    Path f = writeSample(dir.resolve("s.mcap"), 200, small());
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 40] ^= 0x10; // inside the summary offsets
    Files.write(f, bytes);
    McapException e = assertThrows(McapException.class, () -> McapReader.open(f));
    assertTrue(e.getMessage().contains("summary CRC mismatch"), e.getMessage());
  }

  @Test
  void truncatedAtManyOffsetsRecoversEveryCompleteChunk() throws Exception {
    Path f = writeSample(dir.resolve("t.mcap"), 1500, small());
    byte[] bytes = Files.readAllBytes(f);
    List<long[]> chunks = new ArrayList<>(); // end offset, messages
    try (McapReader r = McapReader.open(f)) {
      for (McapChunkIndex ci : r.chunkIndexes()) {
        chunks.add(new long[] {ci.chunkStartOffset() + ci.chunkLength(), r.loadChunk(ci, id -> true).size()});
      }
    }
    Random rnd = new Random(7);
    List<Integer> cuts = new ArrayList<>(List.of(8, 9, 20, bytes.length - 1, bytes.length - 8));
    for (int k = 0; k < chunks.size(); k += 3) {
      cuts.add((int) chunks.get(k)[0]); // exactly after a chunk
      cuts.add((int) chunks.get(k)[0] - 1); // one byte short
    }
    for (int i = 0; i < 12; i++) {
      cuts.add(8 + rnd.nextInt(bytes.length - 8));
    }
    for (int cut : cuts) {
      Path partial = dir.resolve("cut-" + cut + ".mcap");
      Files.write(partial, java.util.Arrays.copyOf(bytes, cut));
      assertThrows(McapException.class, () -> McapReader.open(partial), "cut at " + cut);
      long expected = 0;
      for (long[] c : chunks) {
        if (c[0] <= cut) {
          expected += c[1];
        }
      }
      Path fixed = dir.resolve("fixed-" + cut + ".mcap");
      McapRecovery.Report rep = McapRecovery.recover(partial, fixed, small());
      assertEquals(expected, rep.messages(), "cut at " + cut);
      try (McapReader r = McapReader.open(fixed)) {
        long n = 0;
        for (Iterator<McapMessage> it = r.messages(); it.hasNext(); it.next()) {
          n++;
        }
        assertEquals(expected, n, "cut at " + cut);
        if (cut > 100) {
          assertEquals(2, r.channels().size());
        }
        assertTrue(r.metadata().stream().anyMatch(m -> m.name().equals("recovery")));
      }
      assertTrue(McapValidator.validate(fixed).ok());
    }
  }

  @Test
  void garbageFilesGiveClearErrorsNamingFileAndOffset() throws Exception {
    Path g = dir.resolve("garbage.mcap");
    byte[] junk = new byte[5000];
    new Random(1).nextBytes(junk);
    Files.write(g, junk);
    McapException e = assertThrows(McapException.class, () -> McapReader.open(g));
    assertTrue(e.getMessage().startsWith(g + " at byte 0: not an MCAP file"), e.getMessage());
    assertThrows(McapException.class, () -> McapRecovery.recover(g, dir.resolve("out.mcap"), small()));
    McapValidation v = McapValidator.validate(g);
    assertFalse(v.ok());
    assertTrue(v.problems().get(0).contains("not an MCAP file"));

    // Right magic, then garbage: the error names the record offset.
    byte[] fake = junk.clone();
    System.arraycopy(Mcap.MAGIC, 0, fake, 0, 8);
    fake[8] = 0x01;
    Files.write(g, fake);
    McapValidation v2 = McapValidator.validate(g);
    assertFalse(v2.ok());
    assertTrue(v2.problems().get(0).contains("at byte 8"), v2.problems().toString());

    Path empty = dir.resolve("empty.mcap");
    Files.write(empty, new byte[0]);
    assertThrows(McapException.class, () -> McapReader.open(empty));
    McapException missing = assertThrows(McapException.class, () -> McapReader.open(dir.resolve("nope.mcap")));
    assertTrue(missing.getMessage().contains("no such file"));
  }

  @Test
  void emptyFileWithoutMessagesIsValid() throws Exception {
    Path f = dir.resolve("empty-valid.mcap");
    McapWriter.create(f, small()).close();
    try (McapReader r = McapReader.open(f)) {
      assertEquals(0, r.statistics().messageCount());
      assertFalse(r.messages().hasNext());
    }
    assertTrue(McapValidator.validate(f).ok());
    byte[] b = Files.readAllBytes(f);
    assertArrayEquals(Mcap.MAGIC, java.util.Arrays.copyOfRange(b, b.length - 8, b.length));
    assertNotNull(b);
  }
}
