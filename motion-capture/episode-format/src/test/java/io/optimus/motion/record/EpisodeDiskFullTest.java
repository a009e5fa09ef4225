package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.camera;
import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static io.optimus.motion.record.SyntheticRecording.stamp;
import static io.optimus.motion.record.SyntheticRecording.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapValidator;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.motion.record.mcap.NodeMcapReader;
import io.optimus.proto.v1.JointState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording into a real file system that fills up (a small tmpfs): the session ends, the listener is
 * told, what reached the disk is kept and finished where possible, and an empty file is not left.
 * (EpisodeCrashTest covers the same path without mounting: a child JVM under a file-size limit.)
 */
class EpisodeDiskFullTest {
  @TempDir Path dir;

  private static EpisodeWriter.Listener collect(List<String> told) {
    return new EpisodeWriter.Listener() {
      @Override
      public void onFailure(Path file, String error) {
        told.add(error);
      }
    };
  }

  private Tmpfs mount(int kib) throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("small"));
    Tmpfs fs = Tmpfs.mount(mnt, kib);
    assumeTrue(fs != null, "cannot mount a tmpfs here (needs root on Linux)");
    return fs;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out: " + what);
      LockSupport.parkNanos(5_000_000L);
    }
  }

  private static long contiguousStates(EpisodeReader r) {
    long n = 0;
    for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
        it.hasNext(); ) {
      assertEquals(n, it.next().as(JointState.class).getSequence(), "states kept without holes");
      n++;
    }
    return n;
  }

  @Test
  void aFillingFileSystemEndsTheSessionAndKeepsEveryWrittenChunkInAFinishedFile() throws Exception {
    try (Tmpfs fs = mount(1024)) {
      List<String> told = new CopyOnWriteArrayList<>();
      EpisodeRecorder rec = new EpisodeRecorder(fs.dir(),
          EpisodeWriterTest.fast().withFlushNanos(TimeUnit.MILLISECONDS.toNanos(50)), collect(told));
      EpisodeWriter w = rec.start(header("full", robot(52, 2, 96, 500, 30)));
      assertTrue(rec.isRecording());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long accepted = 0;
      for (long seq = 0; w.state() == EpisodeWriter.State.RECORDING && System.nanoTime() < deadline; seq++) {
        long t = EpisodeWriterTest.MONO0 + seq * 2_000_000L;
        if (w.writeState(state(52, seq, stamp(t, EpisodeWriterTest.WALL0 + t)))) {
          accepted++;
        }
        if (seq % 17 == 0) {
          w.writeCamera(camera("head", 96, seq / 17, stamp(t, EpisodeWriterTest.WALL0 + t)));
        }
        LockSupport.parkNanos(200_000L); // ~5 kHz: the writer keeps up, so nothing is dropped before the end
      }
      assertEquals(EpisodeWriter.State.FAILED, w.state(), "1 MiB must fill up within a minute");
      awaitTrue(() -> !told.isEmpty(), "the listener is told");
      assertEquals(1, told.size(), told.toString());
      String error = told.get(0);
      assertTrue(error.contains(w.file().toString()) && error.contains("No space left on device"), error);
      assertFalse(rec.isRecording(), "the session ended");
      assertNull(rec.current());
      assertFalse(rec.last().ok());
      assertEquals(error, rec.last().error());
      assertNull(rec.stop(), "nothing left to stop");
      assertFalse(rec.writeState(state(52, 0, stamp(1, 1))));

      Path file = w.file();
      assertTrue(Files.size(file) > 0);
      long kept;
      if (error.contains("file is finished")) {
        // Cut back to the last complete chunk and finished with a summary: opens without recovery.
        assertTrue(McapValidator.validate(file).ok(), McapValidator.validate(file).problems().toString());
        try (EpisodeReader r = EpisodeReader.open(file)) {
          assertEquals("full", r.header().getEpisodeId());
          kept = contiguousStates(r);
        }
        if (NodeMcapReader.unavailable().isEmpty()) {
          JsonNode out = NodeMcapReader.read(file);
          assertEquals(kept, out.at("/topics/~1state/count").asLong(), "the official reader sees the same");
        }
      } else {
        // Not even a summary fitted: the file ends at its last complete chunk and recovers whole.
        assertTrue(error.contains("optimus dataset recover " + file), error);
        Path fixed = dir.resolve("fixed.mcap");
        McapRecovery.recover(file, fixed, McapWriter.Options.defaults().withFsync(false));
        try (EpisodeReader r = EpisodeReader.open(fixed)) {
          kept = contiguousStates(r);
        }
      }
      System.out.printf("disk full: %d states accepted, %d kept in %d bytes (%s)%n", accepted, kept,
          Files.size(file), error.contains("file is finished") ? "finished in place" : "recover needed");
      assertTrue(kept > 100, "chunks written before the disk filled are kept: " + kept);
      assertTrue(kept <= accepted);
      rec.close();
    }
  }

  @Test
  void aFileSystemThatIsAlreadyFullLeavesNoEmptyEpisodeBehind() throws Exception {
    for (int freePages : new int[] {0, 1}) {
      try (Tmpfs fs = mount(64)) {
        fill(fs.dir().resolve("filler"), freePages);
        List<String> told = new CopyOnWriteArrayList<>();
        EpisodeRecorder rec = new EpisodeRecorder(fs.dir(), EpisodeWriterTest.fast(), collect(told));
        EpisodeWriter w = rec.start(header("nothing", robot(52, 2, 96, 500, 30)));
        assertEquals(EpisodeWriter.State.FAILED, w.state());
        assertTrue(w.error().contains("No space left on device"), w.error());
        assertEquals(List.of(w.error()), told);
        assertFalse(rec.isRecording());
        assertNull(rec.current());
        assertEquals(w.error(), rec.last().error());
        try (Stream<Path> files = Files.list(fs.dir())) {
          assertEquals(List.of("filler"), files.map(p -> p.getFileName().toString()).toList(),
              "no empty or headerless .mcap left (" + freePages + " pages were free)");
        }
        rec.close();
      }
    }
  }

  /** Writes {@code file} until the file system is full, then frees {@code freePages} 4 KiB pages. */
  private static void fill(Path file, int freePages) throws IOException {
    byte[] block = new byte[4096];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
        written += block.length;
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
    }
    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(Math.max(0, written - 4096L * freePages));
    }
  }
}
