package io.optimus.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void aTreeGoesChildrenFirstAndALinkOutOfItLeavesItsTargetAlone() throws Exception {
    Path kept = Files.writeString(Files.createDirectories(tmp.resolve("dataset")).resolve("episode.mcap"), "data");
    Path tree = Files.createDirectories(tmp.resolve("run/a/b"));
    Files.writeString(tree.resolve("x"), "1");
    Files.createSymbolicLink(tmp.resolve("run/link"), kept.getParent());
    Files.createLink(tmp.resolve("run/a/hard.mcap"), kept);

    FileTrees.delete(tmp.resolve("run"));

    assertFalse(Files.exists(tmp.resolve("run")));
    assertTrue(Files.isRegularFile(kept), "the linked dataset survives");
    assertTrue(FileTrees.deleteQuietly(tmp.resolve("missing")), "nothing to delete is not a failure");
  }
}
