package io.optimus.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removing a directory tree (a temporary or unfinished output), children first. Symbolic links are
 * removed, never followed, so a tree that links into a dataset cannot delete the dataset.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything under it; nothing happens when it does not exist. */
  public static void delete(Path root) throws IOException {
    if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  /** {@link #delete} for clean-up that must not fail its caller; false when something was left behind. */
  public static boolean deleteQuietly(Path root) {
    try {
      delete(root);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
