package io.optimus.motion.record;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.optimus.common.InputErrors;
import io.optimus.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Coverage-guided fuzzing of the MCAP episode reader (Jazzer): {@link EpisodeReader} over
 * {@code McapReader}, reading the header, outcome, metadata, every frame and random access by time.
 * Property: any file either reads through or fails with an {@link InputException} (McapException)
 * naming the file on one line; anything else (another exception, OutOfMemoryError,
 * StackOverflowError, a hang) is a finding. Seeds (small episodes written by {@link EpisodeWriter})
 * and kept findings: {@code src/test/resources/io/optimus/motion/record/EpisodeReaderFuzzTestInputs/read/}.
 */
class EpisodeReaderFuzzTest {
  private static final Path FILE;

  static {
    try {
      Path dir = Files.createTempDirectory("episode-fuzz");
      dir.toFile().deleteOnExit();
      FILE = dir.resolve("fuzz.mcap");
      FILE.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "25s")
  void read(byte[] input) throws IOException {
    Files.write(FILE, input);
    try (EpisodeReader r = EpisodeReader.open(FILE)) {
      assertNotNull(r.header());
      r.outcome();
      r.metadata("episode");
      r.cameras();
      r.jointNames();
      long frames = 0;
      long last = Long.MIN_VALUE;
      for (Iterator<EpisodeFrame> it = r.frames(); it.hasNext(); ) {
        EpisodeFrame f = it.next();
        assertTrue(f.logTimeNs() >= last, "frames come in log-time order");
        last = f.logTimeNs();
        frames++;
      }
      r.stateAt(r.endTimeNs());
      for (String camera : r.cameras()) {
        r.cameraAt(camera, r.endTimeNs());
      }
    } catch (InputException e) {
      InputErrors.assertClear(e, FILE.toString());
    }
  }
}
