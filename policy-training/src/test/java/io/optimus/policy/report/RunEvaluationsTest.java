package io.optimus.policy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.RunFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's evaluations file: appended, read back in order, and bad contents refused by file and line. */
class RunEvaluationsTest {
  @TempDir
  Path dir;

  private static RunEvaluations.Evaluation eval(int successes, int episodes) {
    return new RunEvaluations.Evaluation("2026-12-06T23:00:00Z", "pick-place", "kinematic", "optimus", episodes,
        successes, (double) successes / episodes, 1, 30);
  }

  @Test
  void appendedEvaluationsReadBackInOrder() throws Exception {
    RunFiles files = new RunFiles(dir);
    assertEquals(List.of(), RunEvaluations.read(files), "no file: not evaluated yet");
    RunEvaluations.append(files, eval(3, 10));
    RunEvaluations.append(files, eval(7, 10));
    assertEquals(List.of(eval(3, 10), eval(7, 10)), RunEvaluations.read(files));
    assertEquals(2, Files.readAllLines(files.evaluations()).size(), "one line each");
  }

  @Test
  void garbageAndTruncatedLinesAreRefusedByFileAndLine() throws Exception {
    RunFiles files = new RunFiles(dir);
    RunEvaluations.append(files, eval(3, 10));
    String good = Files.readString(files.evaluations());
    Files.writeString(files.evaluations(), good + good.substring(0, good.length() / 2) + "\n");
    InputException e = assertThrows(InputException.class, () -> RunEvaluations.read(files));
    assertTrue(e.getMessage().startsWith("evaluations " + files.evaluations() + " line 2: not an evaluation"),
        e.getMessage());
    Files.write(files.evaluations(), new byte[] {(byte) 0xFF, 0, 1, 2, '\n'});
    e = assertThrows(InputException.class, () -> RunEvaluations.read(files));
    assertTrue(e.getMessage().contains("line 1") || e.getMessage().contains("unreadable"), e.getMessage());
  }

  @Test
  void aHugeFileIsRefusedWithoutReadingIt() throws Exception {
    RunFiles files = new RunFiles(dir);
    try (RandomAccessFile f = new RandomAccessFile(files.evaluations().toFile(), "rw")) {
      f.setLength(RunEvaluations.MAX_BYTES + 1); // sparse: no disk used
    }
    InputException e = assertThrows(InputException.class, () -> RunEvaluations.read(files));
    assertTrue(e.getMessage().contains("larger than 16 MB"), e.getMessage());
  }

  @Test
  void aNanSuccessRateIsKeptAsNaNAndTheReportStillRenders() throws Exception {
    RunFiles files = new RunFiles(dir);
    Files.writeString(files.evaluations(), "{\"task\":\"stack\",\"episodes\":0,\"successes\":0,\"successRate\":\"NaN\","
        + "\"future\":1}\n");
    RunEvaluations.Evaluation e = RunEvaluations.read(files).get(0);
    assertTrue(Double.isNaN(e.successRate()));
    RunReport.write(files);
    String html = Files.readString(files.report());
    assertTrue(html.contains("<td>NaN</td>"), html);
    assertTrue(html.contains("No metrics.json") && html.contains("No curves.json"), html);
    assertTrue(javax.imageio.ImageIO.read(files.successPng().toFile()) != null);
  }
}
