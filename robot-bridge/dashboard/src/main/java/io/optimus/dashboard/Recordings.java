package io.optimus.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The recorded episodes offered for replay: every {@code .mcap} under one directory (bridge
 * {@code --record} and {@code policy eval --record} folders alike), named by their path relative to it.
 * A requested name resolves only to such a file inside the directory: no "..", no absolute paths, no
 * symbolic links out of it.
 */
final class Recordings {
  /** Listing bound: a directory of a million files must not make a page load take minutes. */
  static final int MAX_LISTED = 2000;
  private static final int MAX_DEPTH = 6;

  /** One episode file. */
  record Entry(String name, long bytes, long modifiedMs) {}

  private final Path root;

  Recordings(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** Newest first, at most {@link #MAX_LISTED}. */
  List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
      s.filter(p -> p.getFileName().toString().endsWith(".mcap") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .limit(MAX_LISTED)
          .forEach(p -> {
            try {
              out.add(new Entry(root.relativize(p).toString().replace('\\', '/'), Files.size(p),
                  Files.getLastModifiedTime(p).toMillis()));
            } catch (IOException gone) {
              // removed while listing
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    out.sort(Comparator.comparingLong(Entry::modifiedMs).reversed().thenComparing(Entry::name));
    return out;
  }

  /** The file named {@code name} (relative, '/'-separated, ending .mcap) inside the directory, if it is one. */
  Optional<Path> resolve(String name) {
    if (name == null || name.isEmpty() || name.length() > 512 || !name.endsWith(".mcap") || name.startsWith("/")
        || name.contains("\\") || name.contains("\0")) {
      return Optional.empty();
    }
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return Optional.empty();
      }
    }
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      // a symbolic link among the parent folders could still point out of the directory
      if (!p.toRealPath().startsWith(root.toRealPath())) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(p);
  }
}
