package io.optimus.motion.record;

import io.optimus.motion.record.mcap.McapWriter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an {@link EpisodeWriter} says and keeps when its recording fails (disk full, directory gone, ...). */
final class RecordingFailures {
  private static final Logger LOG = LoggerFactory.getLogger(EpisodeWriter.class);

  private RecordingFailures() {}

  /** One line naming the file and the reason. */
  static String describe(Path file, Throwable e) {
    String reason;
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      reason = "directory does not exist";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "file already exists";
    } else {
      reason = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return "cannot write episode " + file + ": " + reason;
  }

  /**
   * After a failure: a file with no complete chunk (not even the header message) is removed;
   * otherwise it is cut back to its last complete chunk and finished with a summary if the disk
   * allows. Returns what happened, for the error message. {@code mcap} is null if it never opened.
   */
  static String keepWhatWasWritten(Path file, McapWriter mcap) {
    if (mcap == null) {
      return " (recording stopped)"; // McapWriter.create removes a file it could not start
    }
    try {
      if (mcap.chunksWritten() == 0) {
        mcap.abandon();
        Files.deleteIfExists(file);
        return " (recording stopped; nothing had been recorded, the empty file was removed)";
      }
      long kept = mcap.bytesWritten();
      if (mcap.salvage()) {
        return " (recording stopped; the " + mcap.chunksWritten() + " chunks already written are kept and the file"
            + " is finished)";
      }
      return " (recording stopped; the " + mcap.chunksWritten() + " chunks already written (" + kept + " bytes) are"
          + " kept; run 'optimus dataset recover " + file + "' to index them)";
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: could not tidy up after the failure: {}", file, e.toString());
      return " (recording stopped; run 'optimus dataset recover " + file + "')";
    }
  }
}
