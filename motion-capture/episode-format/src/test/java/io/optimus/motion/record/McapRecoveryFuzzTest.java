package io.optimus.motion.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.optimus.common.FileTrees;
import io.optimus.common.InputErrors;
import io.optimus.common.InputException;
import io.optimus.motion.record.mcap.McapMessage;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the recovery path behind {@code optimus dataset recover} (Jazzer).
 * Property: any file either fails with an {@link InputException} naming it on one line (not an MCAP
 * file at all), or recovers into a finished, indexed MCAP file that {@link McapReader} opens, holding
 * exactly the messages the report counts. Anything else (another exception, OutOfMemoryError,
 * StackOverflowError, a hang) is a finding. Seeds (a finished episode and cut copies of it) and kept
 * findings: {@code src/test/resources/io/optimus/motion/record/McapRecoveryFuzzTestInputs/recover/}.
 */
class McapRecoveryFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("recovery-fuzz");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @AfterAll
  static void removeDir() {
    FileTrees.deleteQuietly(DIR); // deleteOnExit cannot remove a directory that still has files
  }

  @FuzzTest(maxDuration = "25s")
  void recover(byte[] input) throws IOException {
    Path source = DIR.resolve("fuzz.mcap");
    Path target = DIR.resolve("fuzz.recovered.mcap");
    Files.write(source, input);
    Files.deleteIfExists(target);
    McapRecovery.Report report;
    try {
      report = McapRecovery.recover(source, target, McapWriter.Options.defaults().withFsync(false));
    } catch (InputException e) {
      InputErrors.assertClear(e, source.toString());
      return;
    }
    try (McapReader r = McapReader.open(target)) {
      long n = 0;
      for (Iterator<McapMessage> it = r.messages(); it.hasNext(); it.next()) {
        n++;
      }
      assertEquals(report.messages(), n, "the recovered file holds the messages the report counts");
      assertEquals(n, r.statistics().messageCount());
      assertTrue(r.metadata().stream().anyMatch(m -> m.name().equals("recovery")), "recovery is recorded");
    } finally {
      Files.deleteIfExists(target);
    }
  }
}
