package io.optimus.motion.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipQueueTest {
  static Clip clip(String episode, ClipTrigger t, long start) {
    return Clip.of("r1", episode, t, start, start + 2_000_000_000L, 0.42, "test");
  }

  @Test
  void clipsAreKeptInOrderOnceEachAndReviewedByLaterLines(@TempDir Path dir) throws IOException {
    ClipQueue q = ClipQueue.in(dir);
    assertEquals(List.of(), q.list(), "no file yet: no clips");
    Clip a = clip("ep1", ClipTrigger.DISAGREEMENT, 10);
    Clip b = clip("ep1", ClipTrigger.TAKEOVER, 10);
    assertTrue(q.add(a));
    assertTrue(q.add(b));
    assertFalse(q.add(clip("ep1", ClipTrigger.DISAGREEMENT, 10)), "same episode, trigger, start: same clip");
    assertEquals(List.of(a.id(), b.id()), q.list().stream().map(Clip::id).toList());
    q.setState(List.of(a.id()), ClipState.ACCEPTED);
    q.relabel(b.id(), "regrasp");
    q.setState(List.of(b.id()), ClipState.REJECTED);
    List<Clip> l = ClipQueue.in(dir).list();
    assertEquals(ClipState.ACCEPTED, l.get(0).state());
    assertEquals("disagreement", l.get(0).label());
    assertEquals(ClipState.REJECTED, l.get(1).state());
    assertEquals("regrasp", l.get(1).label());
    assertEquals(0.42, l.get(1).score());
    assertEquals(5, Files.readAllLines(q.file()).size(), "append-only: 2 clips, 3 changes");
    InputException e = assertThrows(InputException.class, () -> q.setState(List.of(a.id(), "nope"), ClipState.REJECTED));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    assertEquals(ClipState.ACCEPTED, q.list().get(0).state(), "all ids must exist, or nothing changes");
  }

  @Test
  void aTornLastLineIsIgnoredAndCutOffByTheNextWriterWithoutLosingEarlierClips(@TempDir Path dir) throws IOException {
    ClipQueue q = ClipQueue.in(dir);
    Clip a = clip("ep1", ClipTrigger.SAFETY, 1);
    q.add(a);
    String whole = Files.readString(q.file());
    Files.writeString(q.file(), whole.substring(0, whole.length() / 2), StandardOpenOption.APPEND); // killed mid-write
    assertEquals(List.of(a), q.list());
    Clip b = clip("ep1", ClipTrigger.SAFETY, 2);
    assertTrue(q.add(b));
    assertEquals(List.of(a, b), q.list());
    assertEquals(2, Files.readAllLines(q.file()).size(), "the torn half line is gone");
  }

  @Test
  void badLinesAreOneLineErrorsNamingTheFileAndLine(@TempDir Path dir) throws IOException {
    ClipQueue q = ClipQueue.in(dir);
    q.add(clip("ep1", ClipTrigger.SAFETY, 1));
    String good = Files.readString(q.file());
    assertBad(q, good + "garbage\n" + good, "line 2", "not JSON");
    assertBad(q, good + good.replace("0.42", "NaN"), "line 2", "not JSON");
    assertBad(q, good + good.replace("0.42", "\"NaN\""), "line 2", "score");
    assertBad(q, good + good.replace("0.42", "1e999"), "line 2", "score");
    assertBad(q, good.replace("\"start_ns\":1", "\"start_ns\":99999999999999999999"), "line 1", "start_ns");
    assertBad(q, good.replace("safety", "boredom"), "line 1", "trigger 'boredom'");
    assertBad(q, good + "{\"op\":\"set\",\"id\":\"zzz\",\"state\":\"accepted\"}\n", "line 2", "'zzz'");
    assertBad(q, good + "[1,2]\n", "line 2", "not a JSON object");
    assertBad(q, good + "{\"op\":\"clip\"} {}\n", "line 2", "not JSON");
    assertBad(q, "{\"op\":\"clip\",\"id\":\"" + "x".repeat(ClipQueue.MAX_LINE) + "\"}\n", "line 1", "longer");
    try (RandomAccessFile f = new RandomAccessFile(q.file().toFile(), "rw")) {
      f.setLength(ClipQueue.MAX_BYTES + 1); // sparse: huge without using the disk
    }
    InputException e = assertThrows(InputException.class, q::list);
    assertTrue(e.getMessage().contains(q.file().toString()) && e.getMessage().contains("bytes"), e.getMessage());
    assertThrows(InputException.class, () -> q.add(clip("ep2", ClipTrigger.SAFETY, 1)), "a writer refuses it too");
  }

  private static void assertBad(ClipQueue q, String content, String line, String what) throws IOException {
    Files.writeString(q.file(), content, StandardCharsets.UTF_8);
    InputException e = assertThrows(InputException.class, q::list, content);
    String m = e.getMessage();
    assertTrue(m.startsWith(q.file() + " " + line + ":") && m.contains(what) && !m.contains("\n"), m);
  }
}
