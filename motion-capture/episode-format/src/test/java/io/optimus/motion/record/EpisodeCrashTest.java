package io.optimus.motion.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.motion.record.mcap.McapException;
import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapValidator;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.proto.v1.JointState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real crashes: a child JVM recording at 500 Hz is killed (SIGKILL), or runs out of file space. */
class EpisodeCrashTest {
  @TempDir Path dir;

  private static List<String> javaCommand(String mode, Path file) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        RecordingChild.class.getName(), mode, file.toString());
  }

  @Test
  void killDashNineLosesAtMostAboutOneSecond() throws Exception {
    Path file = dir.resolve("killed.mcap");
    Process child = new ProcessBuilder(javaCommand("record", file)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long lastOffered = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("offered ")) {
          lastOffered = Long.parseLong(line.substring(8));
          if (lastOffered >= 1750) { // 3.5 s of recording at 500 Hz
            break;
          }
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(lastOffered >= 1750, "child never got going: last offered " + lastOffered);
    assertTrue(Files.size(file) > 0);
    try {
      EpisodeReader.open(file).close();
      fail("a killed recording has no footer");
    } catch (McapException expected) {
      assertTrue(expected.getMessage().contains("recover"), expected.getMessage());
    }
    Path fixed = dir.resolve("recovered.mcap");
    McapRecovery.Report rep = McapRecovery.recover(file, fixed, McapWriter.Options.defaults().withFsync(false));
    assertTrue(McapValidator.validate(fixed).ok());
    long states = 0;
    try (EpisodeReader r = EpisodeReader.open(fixed)) {
      assertEquals("child", r.header().getEpisodeId());
      assertTrue(r.outcome().isEmpty(), "no outcome: the recording was cut short");
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE)); it.hasNext(); ) {
        JointState s = it.next().as(JointState.class);
        assertEquals(states, s.getSequence(), "states survive without holes");
        assertEquals(52, s.getPositionCount());
        states++;
      }
      assertTrue(r.messageCount("/camera/head") > 0);
    }
    // The child had offered at least lastOffered + 1 states when it died; at most 1 s (500) may be lost.
    long lost = lastOffered + 1 - states;
    System.out.printf("kill -9: offered >= %d states, recovered %d (%.2f s lost at most), %d of %d bytes kept%n",
        lastOffered + 1, states, Math.max(0, lost) / 500.0, rep.recoveredBytes(), rep.sourceBytes());
    assertTrue(lost <= 500, "lost " + lost + " states (" + lost / 500.0 + " s)");
  }

  @Test
  void fileSpaceRunningOutStopsRecordingClearlyAndKeepsWhatWasWritten() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs bash ulimit");
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs /bin/bash");
    Path file = dir.resolve("full.mcap");
    List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f 3000 && exec \"$@\"", "child"));
    cmd.addAll(javaCommand("fill", file)); // 3000 KiB file-size limit: writes past it fail with EFBIG
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("FAILED cannot write episode " + file), output);
    assertTrue(output.contains("File too large") || output.contains("No space"), output);
    assertTrue(output.contains("dropped "), output);
    assertFalse(output.contains("never failed"), output);
    assertTrue(Files.size(file) <= 3000 * 1024);
    Path readable = file;
    if (!output.contains("file is finished")) { // no room left even for the summary: recovery indexes it
      assertTrue(output.contains("optimus dataset recover " + file), output);
      McapRecovery.Report rep = McapRecovery.recover(file, dir.resolve("kept.mcap"), McapWriter.Options.defaults());
      assertTrue(rep.messages() > 100, "chunks written before the disk filled are kept: " + rep);
      readable = dir.resolve("kept.mcap");
    } else {
      assertTrue(McapValidator.validate(file).ok(), "finished in place: " + McapValidator.validate(file).problems());
    }
    try (EpisodeReader r = EpisodeReader.open(readable)) {
      assertTrue(r.messageCount(EpisodeTopics.STATE) > 100);
    }
  }
}
