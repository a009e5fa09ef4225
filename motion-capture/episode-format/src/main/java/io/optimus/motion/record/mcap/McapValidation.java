package io.optimus.motion.record.mcap;

import java.nio.file.Path;
import java.util.List;

/**
 * Result of a full linear check of an MCAP file. {@code complete} means Data End, summary and footer
 * are present; {@code problems} lists every corruption found, each naming the byte offset.
 */
public record McapValidation(Path file, boolean complete, long messages, long chunks, long validBytes,
    List<String> problems) {
  public McapValidation {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return complete && problems.isEmpty();
  }
}
