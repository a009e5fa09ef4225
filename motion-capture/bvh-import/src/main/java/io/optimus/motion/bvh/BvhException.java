package io.optimus.motion.bvh;

import io.optimus.common.InputException;

/** A BVH file (or map file) that cannot be read: the message names the file, the line and the problem. */
public class BvhException extends InputException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  public BvhException(String file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The input's name as given to the parser (usually the file name). */
  public String file() {
    return file;
  }

  /** 1-based line number of the problem, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}
