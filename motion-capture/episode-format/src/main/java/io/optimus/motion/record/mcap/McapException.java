package io.optimus.motion.record.mcap;

import io.optimus.common.InputException;
import java.nio.file.Path;

/** A malformed, truncated or corrupt MCAP file; the message names the file and the byte offset. */
public class McapException extends InputException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long offset;
  private final String problem;

  public McapException(Path file, long offset, String problem) {
    super(file + " at byte " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }

  public McapException(Path file, long offset, String problem, Throwable cause) {
    super(file + " at byte " + offset + ": " + problem, cause);
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }

  /** What is wrong, without the file and offset. */
  public String problem() {
    return problem;
  }

  public Path file() {
    return file;
  }

  /** Byte offset in the file where the problem was found (-1 when not tied to one place). */
  public long offset() {
    return offset;
  }
}
