package io.optimus.bridge.control;

import io.optimus.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * The episodes a bridge may replay: regular files {@code ID.mcap} directly in one configured
 * directory, named by episode id. A request can never name a path: ids are 1-128 of
 * [A-Za-z0-9_.-] without "..", symbolic links and special files (FIFOs, devices) are refused before
 * anything is opened, and files over {@link #MAX_BYTES} are refused. Errors never say whether
 * anything outside the directory exists. {@link #load} blocks on file I/O: callers run it on a
 * worker, never on the MQTT callback thread.
 */
public class ReplayLibrary {
  /** Largest episode file a replay may load (the whole trajectory is held in memory). */
  public static final long MAX_BYTES = 256L << 20;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final Path dir;
  private final long maxBytes;

  public ReplayLibrary(Path dir) {
    this(dir, MAX_BYTES);
  }

  public ReplayLibrary(Path dir, long maxBytes) {
    if (!Files.isDirectory(dir)) {
      throw new InputException("replay directory " + dir + " is not a directory");
    }
    this.dir = dir.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
  }

  public Path dir() {
    return dir;
  }

  /** The file of episode {@code id} ("ID" or "ID.mcap"), checked; throws a one-line InputException. */
  public Path resolve(String id) {
    if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
      throw new InputException("replay episode id '" + printable(id) + "' is invalid: use the episode id (1-128 of"
          + " A-Z a-z 0-9 _ . -, no path) of a file in the replay directory");
    }
    String name = id.endsWith(".mcap") ? id : id + ".mcap";
    Path file = dir.resolve(name);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new InputException("no episode '" + id + "' in the replay directory");
    }
    if (!a.isRegularFile()) {
      throw new InputException("episode '" + id + "' in the replay directory is not a regular file"
          + (a.isSymbolicLink() ? " (symbolic links are refused)" : ""));
    }
    if (a.size() > maxBytes) {
      throw new InputException("episode '" + id + "' is " + (a.size() >> 20) + " MiB, over the replay limit of "
          + (maxBytes >> 20) + " MiB");
    }
    return file;
  }

  /** Resolves and reads episode {@code id} into a replay for a robot of {@code dof} joints. Any thread. */
  public ReplayActionSource load(String id, int dof) {
    return ReplayActionSource.fromEpisode(resolve(id), dof);
  }

  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
