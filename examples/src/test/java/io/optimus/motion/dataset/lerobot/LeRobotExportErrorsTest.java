package io.optimus.motion.dataset.lerobot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.dataset.lerobot.Recordings.Cam;
import io.optimus.motion.dataset.lerobot.cli.DatasetExportCommand;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.RobotDescription;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input: one clear error each, and never a half-written directory that looks like a dataset. */
class LeRobotExportErrorsTest {
  static final Cam HEAD = new Cam("head", 64, 64);
  static final long WALL0 = 1_750_000_000_000_000_000L;

  @TempDir Path tmp;

  @Test
  void emptyDatasetIsOneClearError() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("empty"));
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("no episodes to export (0 files)"), e.getMessage());
    assertNothingWritten();
  }

  @Test
  void onlyFailedAndDiscardedEpisodesAreEmptyUnlessAsked() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    Recordings.record(src.resolve("f.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_FAILURE, WALL0, HEAD);
    Recordings.record(src.resolve("g.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_DISCARD, WALL0, HEAD);
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("left out: f.mcap: outcome FAILURE; g.mcap: outcome DISCARD"), e.getMessage());
    assertNothingWritten();
    LeRobotExporter.Report r = LeRobotExporter.export(src, tmp.resolve("out"),
        LeRobotExporter.Options.defaults().withIncludeFailed(true));
    assertEquals(2, r.episodes());
  }

  @Test
  void mixedRobotModelsAreOneClearError() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Recordings.record(src.resolve("a.mcap"), Recordings.robot("optimus", 3), "pick", 0.2,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    Recordings.record(src.resolve("b.mcap"), Recordings.robot("g1", 4), "pick", 0.2,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("mixed robot models (optimus (3 joints) in 1 episode, g1 (4 joints) in 1 episode)"),
        e.getMessage());
    assertNothingWritten();
  }

  @Test
  void camerasOfDifferentSizesAreOneClearError() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    Recordings.record(src.resolve("a.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    Recordings.record(src.resolve("b.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0,
        new Cam("head", 96, 72));
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("camera 'head' is 64x64 in a.mcap but 96x72 in b.mcap"), e.getMessage());
    assertNothingWritten();
  }

  @Test
  void aSizeChangeMidEpisodeFailsAfterWritingStartedAndLeavesNothing() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    Recordings.record(src.resolve("a.mcap"), robot, "pick", 0.3, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    Recordings.record(src.resolve("b.mcap"), robot, "pick", 0.3, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0,
        frame -> List.of(frame < 4 ? HEAD : new Cam("head", 96, 64)));
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("b.mcap: camera 'head' changes size within the episode"), e.getMessage());
    assertNothingWritten();
  }

  @Test
  void anUnwritableOrExistingOutIsOneClearError() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Recordings.record(src.resolve("a.mcap"), Recordings.robot("optimus", 3), "pick", 0.2,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    InputException e = assertThrows(InputException.class,
        () -> LeRobotExporter.export(src, file.resolve("out"), LeRobotExporter.Options.defaults()));
    assertTrue(e.getMessage().contains("cannot be created: " + file + " is not a directory"), e.getMessage());
    e = assertThrows(InputException.class,
        () -> LeRobotExporter.export(src, tmp.resolve("nowhere/out"), LeRobotExporter.Options.defaults()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Path existing = Files.createDirectories(tmp.resolve("out"));
    e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("out: already exists"), e.getMessage());
    try (Stream<Path> s = Files.list(existing)) {
      assertEquals(0, s.count(), "an existing OUT is never written into");
    }
  }

  @Test
  void theCommandReportsBadInputOnOneLineWithExitCode2() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("empty"));
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new DatasetExportCommand());
    cli.setErr(new PrintWriter(err, true));
    // the optimus CLI's mapping (OptimusCli.configure): bad input -> one line, exit code 2
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      line.getErr().println("export: " + ex.getMessage());
      return ex instanceof InputException ? 2 : 1;
    });
    assertEquals(2, cli.execute("--format", "lerobot", src.toString(), tmp.resolve("out").toString()));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().contains("no episodes to export"), err.toString());
    assertEquals(2, cli.execute("--format", "csv", src.toString(), tmp.resolve("out").toString()));
    assertTrue(err.toString().contains("--format csv: unknown (supported: lerobot)"), err.toString());
    assertEquals(2, cli.execute("--format", "lerobot", "--fps", "0", src.toString(), tmp.resolve("out").toString()));
    assertNothingWritten();
  }

  @Test
  void garbageAndTruncatedFilesAreLeftOutAndNamed() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    Recordings.record(src.resolve("a.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, HEAD);
    Path cut = Recordings.record(src.resolve("t.mcap"), robot, "pick", 0.2, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS,
        WALL0, HEAD);
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    byte[] garbage = new byte[5000];
    new java.util.Random(7).nextBytes(garbage);
    Files.write(src.resolve("g.mcap"), garbage);
    LeRobotExporter.Report r = LeRobotExporter.export(src, tmp.resolve("out"), LeRobotExporter.Options.defaults());
    assertEquals(1, r.episodes());
    assertEquals(2, r.skipped().size(), r.skipped().toString());
    assertTrue(r.skipped().get(0).startsWith("g.mcap: unreadable"), r.skipped().toString());
    assertTrue(r.skipped().get(1).startsWith("t.mcap: unreadable"), r.skipped().toString());
  }

  @Test
  void aNaNJointIsOneClearErrorNamingTheMessage() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    try (io.optimus.motion.record.EpisodeWriter w = io.optimus.motion.record.EpisodeWriter.start(src.resolve("n.mcap"),
        io.optimus.motion.record.SyntheticRecording.header("n", robot))) {
      for (int i = 0; i < 50; i++) {
        long t = i * 4_000_000L;
        var stamp = io.optimus.motion.record.SyntheticRecording.stamp(t, WALL0 + t);
        var s = io.optimus.motion.record.SyntheticRecording.state(3, i, stamp);
        if (i == 20) {
          s = s.toBuilder().setPosition(1, Double.NaN).build();
        }
        assertTrue(w.writeState(s));
      }
      w.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "");
    }
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("n.mcap /state #20: joint 1 is not finite (position NaN"), e.getMessage());
    assertNothingWritten();
  }

  @Test
  void aHugeFrameHeaderIsBadInputNotAnAllocation() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Recordings.record(src.resolve("h.mcap"), Recordings.robot("optimus", 3), "pick", 0.2,
        EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, WALL0, new Cam("head", 9000, 2));
    InputException e = assertThrows(InputException.class, () -> export(src));
    assertTrue(e.getMessage().contains("camera 'head' frames are 9000x2; the export takes 2 to 8192 px a side"),
        e.getMessage());
    assertNothingWritten();
  }

  private void export(Path src) throws Exception {
    LeRobotExporter.export(src, tmp.resolve("out"), LeRobotExporter.Options.defaults());
  }

  /** OUT absent, and no hidden partial directory beside it. */
  private void assertNothingWritten() throws Exception {
    assertFalse(Files.exists(tmp.resolve("out")), "OUT must not exist after a failed export");
    try (Stream<Path> s = Files.list(tmp)) {
      List<String> partial = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("partial")).toList();
      assertEquals(List.of(), partial);
    }
  }
}
