package io.optimus.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an input file (robot model, motion clip, map, JSON argument) whole, with the checks every
 * reader needs: only regular files (a directory, a device such as /dev/zero or a FIFO, which would
 * block, is refused before opening), at most a size cap (read with the cap, so a file that grows or
 * lies about its size cannot exceed it), and one-line reasons: no such file, permission denied, too
 * large.
 */
public final class InputFiles {
  private InputFiles() {}

  /** Why a file could not be read; {@link #problem()} is the reason without the file name. */
  public static final class Unreadable extends InputException {
    private static final long serialVersionUID = 1L;
    private final String problem;

    Unreadable(Path file, String problem) {
      super(file + ": " + problem);
      this.problem = problem;
    }

    public String problem() {
      return problem;
    }
  }

  /** The bytes of {@code file}, at most {@code maxBytes}; {@code what} names the kind of file in the size error. */
  public static byte[] read(Path file, long maxBytes, String what) {
    if (!Files.isRegularFile(file)) {
      throw new Unreadable(file, Files.isDirectory(file) ? "is a directory, not a file"
          : Files.exists(file) ? "not a regular file (a device, FIFO or socket)"
          : Files.notExists(file) ? "no such file" : "permission denied");
    }
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new Unreadable(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new Unreadable(file, "permission denied");
    } catch (IOException e) {
      throw new Unreadable(file, "cannot read: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    if (b.length > maxBytes) {
      throw new Unreadable(file, "larger than the " + human(maxBytes) + " limit for " + what);
    }
    return b;
  }

  private static String human(long bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
