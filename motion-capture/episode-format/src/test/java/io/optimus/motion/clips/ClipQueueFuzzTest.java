package io.optimus.motion.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.optimus.common.FileTrees;
import io.optimus.common.InputErrors;
import io.optimus.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the clip queue file (Jazzer). Property: any {@code clips.jsonl} either
 * fails with an {@link InputException} naming the file on one line, or lists its clips; then a new
 * clip appends after them (a torn last line cut off) and every earlier clip is still there, once.
 * Seeds: {@code src/test/resources/io/optimus/motion/clips/ClipQueueFuzzTestInputs/listAndAppend/}.
 */
class ClipQueueFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("clips-fuzz");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @AfterAll
  static void removeDir() {
    FileTrees.deleteQuietly(DIR); // deleteOnExit cannot remove a directory that still has files
  }

  @FuzzTest(maxDuration = "25s")
  void listAndAppend(byte[] input) throws IOException {
    ClipQueue q = ClipQueue.in(DIR);
    Files.write(q.file(), input);
    List<Clip> before;
    try {
      before = q.list();
    } catch (InputException e) {
      InputErrors.assertClear(e, q.file().toString());
      return;
    }
    Clip added = Clip.of("r", "fuzz-episode", ClipTrigger.SAFETY, Long.MIN_VALUE / 2, 0, 1, "");
    boolean fresh = before.stream().noneMatch(c -> c.id().equals(added.id()));
    assertEquals(fresh, q.add(added));
    List<Clip> after = q.list();
    assertEquals(before.size() + (fresh ? 1 : 0), after.size());
    assertEquals(before, after.subList(0, before.size()), "earlier clips kept as they were");
    assertTrue(after.stream().map(Clip::id).distinct().count() == after.size(), "no duplicate ids");
  }
}
