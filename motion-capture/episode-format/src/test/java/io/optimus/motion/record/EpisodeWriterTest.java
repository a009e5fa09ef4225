package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.camera;
import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static io.optimus.motion.record.SyntheticRecording.stamp;
import static io.optimus.motion.record.SyntheticRecording.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapValidator;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ChannelStats;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpisodeWriterTest {
  @TempDir Path dir;

  static final long WALL0 = 1_763_000_000_000_000_000L;
  static final long MONO0 = 5_000_000_000L;

  static EpisodeWriter.Options fast() {
    return EpisodeWriter.Options.defaults().withFsync(false);
  }

  /** Records {@code ticks} states at 500 Hz (stamps), a camera frame every 17 ticks on two cameras, and extras. */
  static List<JointState> record(EpisodeWriter w, int joints, int ticks, long skipFrom, long skipTo) {
    List<JointState> states = new ArrayList<>();
    for (int i = 0; i < ticks; i++) {
      if (i >= skipFrom && i < skipTo) {
        continue;
      }
      long dt = i * 2_000_000L;
      JointState s = state(joints, i, stamp(MONO0 + dt, WALL0 + dt));
      assertTrue(w.writeState(s));
      states.add(s);
      if (i % 17 == 0) {
        assertTrue(w.writeCamera(camera("head", 32, i / 17, stamp(MONO0 + dt, WALL0 + dt))));
        assertTrue(w.writeCamera(camera("wrist1", 32, i / 17, stamp(MONO0 + dt, WALL0 + dt))));
      }
      if (i % 5 == 0) {
        assertTrue(w.writeOperator(OperatorFrame.newBuilder().setSequence(i).setOperatorId("alice")
            .setCaptureTime(stamp(MONO0 + dt, WALL0 + dt)).build()));
      }
    }
    return states;
  }

  @Test
  void roundTripHeaderStatesCamerasOutcomeAndMetadata() throws Exception {
    RobotDescription robot = robot(12, 2, 32, 500, 30);
    EpisodeHeader header = header("ep-1", robot);
    Path file = dir.resolve("ep-1.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header, fast(), null);
    assertEquals(EpisodeWriter.State.RECORDING, w.state());
    List<JointState> states = record(w, 12, 1000, -1, -1);
    assertTrue(w.writeSafetyEvent(SafetyEvent.newBuilder().setType(SafetyEventType.SAFETY_EVENT_ENGAGED)
        .setStamp(stamp(MONO0, WALL0)).build()));
    assertTrue(w.writeTask(TaskState.newBuilder().setTask("pick-place").setSuccess(true).build()));
    assertTrue(w.annotate(Annotation.newBuilder().setKind("mark").setText("grasp").build()));
    w.setTaskSuccess(true);
    EpisodeSummary summary = w.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "clean grasp");
    assertTrue(summary.ok(), summary.error());
    assertEquals(EpisodeWriter.State.FINISHED, w.state());
    assertEquals(0, summary.dropped());
    assertTrue(w.writerCpuNanos() > 0);

    try (EpisodeReader r = EpisodeReader.open(file)) {
      assertEquals("ep-1", r.header().getEpisodeId());
      assertEquals(robot, r.header().getRobot());
      assertFalse(r.header().getSoftwareVersion().isEmpty());
      assertTrue(r.header().getStart().getWallNs() > 0);
      EpisodeOutcomeRecord o = r.outcome().orElseThrow();
      assertEquals(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, o.getOutcome());
      assertEquals("clean grasp", o.getNotes());
      assertTrue(o.getTaskSuccess());
      ChannelStats st = o.getChannelsList().stream().filter(c -> c.getTopic().equals("/state")).findFirst().orElseThrow();
      assertEquals(1000, st.getMessages());
      assertEquals(0, st.getDropped());
      assertEquals(0, st.getGaps());
      assertEquals(500, st.getNominalRateHz());
      assertEquals(List.of("head", "wrist1"), r.cameras());
      assertEquals(1000, r.messageCount("/state"));
      assertEquals(59, r.messageCount("/camera/head"));
      assertEquals(200, r.messageCount("/operator"));
      assertEquals(1, r.messageCount("/safety/event"));
      assertEquals(1, r.messageCount("/annotation"));
      assertEquals(12, r.jointNames().size());
      Map<String, String> meta = r.metadata("episode");
      assertEquals("test-humanoid", meta.get("robot_model"));
      assertEquals("ab".repeat(32), meta.get("robot_model_hash"));
      assertTrue(meta.get("joint_names").startsWith("joint_0,joint_1,"));
      assertEquals("alice", meta.get("operator"));
      assertEquals("pick-place", meta.get("task"));
      assertTrue(meta.get("start_time").endsWith("Z"), meta.get("start_time"));
      assertEquals(r.header().getSoftwareVersion(), meta.get("software_version"));
      assertEquals("EPISODE_OUTCOME_SUCCESS", r.metadata("outcome").get("outcome"));

      // Streamed in time order, every state back exactly.
      int k = 0;
      long last = Long.MIN_VALUE;
      for (Iterator<EpisodeFrame> it = r.frames(); it.hasNext(); ) {
        EpisodeFrame f = it.next();
        assertTrue(f.logTimeNs() >= last);
        last = f.logTimeNs();
        if (f.topic().equals("/state")) {
          assertEquals(states.get(k++), f.message());
          assertEquals(f.as(JointState.class).getStamp().getWallNs(), f.publishTimeNs());
        }
      }
      assertEquals(1000, k);
      // Random access by time: the state logged at or before a frame's log time is that frame.
      List<EpisodeFrame> cams = new ArrayList<>();
      r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of("/camera/head")).forEachRemaining(cams::add);
      EpisodeFrame cam = cams.get(30);
      assertEquals(30, cam.as(CameraFrame.class).getSequence());
      CameraFrame again = r.cameraAt("head", cam.logTimeNs()).orElseThrow();
      assertEquals(30, again.getSequence());
      JointState near = r.stateAt(cam.logTimeNs()).orElseThrow();
      assertTrue(near.getSequence() >= 30 * 17 && near.getSequence() <= 30 * 17 + 1, "seq " + near.getSequence());
      assertTrue(r.stateAt(r.startTimeNs() - 1).isEmpty());
    }
    assertTrue(McapValidator.validate(file).ok());
  }

  @Test
  void gapsInTheControlStreamAreCountedNotHidden() throws Exception {
    Path file = dir.resolve("gappy.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("gappy", robot(6, 0, 0, 500, 0)), fast(), null);
    record(w, 6, 600, 100, 125); // 50 ms hole
    record(w, 6, 0, -1, -1);
    EpisodeSummary s = w.finish(EpisodeOutcome.EPISODE_OUTCOME_FAILURE, "");
    ChannelStats st = s.channels().stream().filter(c -> c.getTopic().equals("/state")).findFirst().orElseThrow();
    assertEquals(1, st.getGaps());
    assertEquals(0.052, st.getMaxGapS(), 1e-9);
    EpisodeEntry e = Dataset.describe(file);
    assertEquals(1, e.rates().get("/state").gaps());
    assertEquals(0.052, e.rates().get("/state").maxGapS(), 1e-9);
    assertEquals(575, e.stateFrames());
    assertEquals("FAILURE", e.outcome());
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    Path file = dir.resolve("drops.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("drops", robot(4, 1, 128, 500, 30)),
        fast().withQueueCapacity(16).withZstdLevel(9), null);
    CameraFrame big = camera("head", 128, 0, stamp(MONO0, WALL0));
    int offered = 20_000;
    int accepted = 0;
    for (int i = 0; i < offered; i++) {
      if (w.writeCamera(big)) {
        accepted++;
      }
    }
    EpisodeSummary s = w.finish();
    assertTrue(s.ok(), s.error());
    assertTrue(s.dropped() > 0, "a 16-slot queue cannot take 20000 frames at once");
    assertEquals(offered, accepted + s.dropped());
    try (EpisodeReader r = EpisodeReader.open(file)) {
      assertEquals(accepted, r.messageCount("/camera/head"));
      ChannelStats st = r.outcome().orElseThrow().getChannels(0);
      assertEquals("/camera/head", st.getTopic());
      assertEquals(s.dropped(), st.getDropped());
      assertEquals(Long.toString(s.dropped()), r.metadata("outcome").get("dropped:/camera/head"));
    }
    assertEquals(s.dropped(), Dataset.describe(file).dropped().get("/camera/head"));

    // The byte budget bounds the queue too: 64 KiB holds one 49 KB frame.
    EpisodeWriter small = EpisodeWriter.start(dir.resolve("bytes.mcap"), header("bytes", robot(4, 1, 128, 500, 30)),
        fast().withQueueBytes(64 * 1024), null);
    int ok = 0;
    for (int i = 0; i < 2000; i++) {
      if (small.writeCamera(big)) {
        ok++;
      }
    }
    EpisodeSummary s2 = small.finish();
    assertTrue(s2.dropped() > 0);
    assertEquals(2000, ok + s2.dropped());
  }

  @Test
  void concurrentProducersLoseNothingAndDuplicateNothing() throws Exception {
    Path file = dir.resolve("mt.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("mt", robot(4, 0, 0, 500, 0)), fast().withQueueCapacity(256), null);
    int threads = 4;
    int each = 5000;
    long[] accepted = new long[threads];
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      producers.add(new Thread(() -> {
        for (int i = 0; i < each; i++) {
          JointState s = JointState.newBuilder().setRobotId("p" + id).setSequence(i).build();
          if (w.writeState(s)) {
            accepted[id]++;
          }
        }
      }));
    }
    producers.forEach(Thread::start);
    for (Thread p : producers) {
      p.join();
    }
    EpisodeSummary summary = w.finish();
    long total = Arrays.stream(accepted).sum();
    assertEquals(threads * each, total + summary.dropped());
    java.util.Set<String> seen = new java.util.HashSet<>();
    long[] lastSeq = {-1, -1, -1, -1};
    try (EpisodeReader r = EpisodeReader.open(file)) {
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of("/state")); it.hasNext(); ) {
        JointState s = it.next().as(JointState.class);
        assertTrue(seen.add(s.getRobotId() + "/" + s.getSequence()), "duplicate " + s.getRobotId() + "/" + s.getSequence());
        int id = Integer.parseInt(s.getRobotId().substring(1));
        assertTrue(s.getSequence() > lastSeq[id], "per-producer order kept");
        lastSeq[id] = s.getSequence();
      }
    }
    assertEquals(total, seen.size());
  }

  @Test
  void unwritableDirectoryFailsClearlyWithoutThrowing() throws Exception {
    Path notADir = dir.resolve("plain-file");
    Files.writeString(notADir, "x");
    AtomicReference<String> told = new AtomicReference<>();
    EpisodeWriter.Listener listener = new EpisodeWriter.Listener() {
      @Override
      public void onFailure(Path file, String error) {
        told.set(error);
      }
    };
    for (Path target : List.of(notADir.resolve("ep.mcap"), dir.resolve("missing/dir/ep.mcap"))) {
      told.set(null);
      EpisodeWriter w = EpisodeWriter.start(target, header("x", robot(4, 0, 0, 500, 0)), fast(), listener);
      assertEquals(EpisodeWriter.State.FAILED, w.state());
      assertNotNull(w.error());
      assertTrue(w.error().contains(target.toString()) && w.error().contains("recording stopped"), w.error());
      assertEquals(w.error(), told.get());
      assertFalse(w.writeState(state(4, 0, stamp(1, 1))));
      assertEquals(1, w.dropped());
      EpisodeSummary s = w.finish();
      assertFalse(s.ok());
      assertEquals(w.error(), s.error());
    }
    // Through the recorder: a dataset "directory" that is a file.
    EpisodeRecorder rec = new EpisodeRecorder(notADir, fast(), null);
    EpisodeWriter w = rec.start(header("", robot(4, 0, 0, 500, 0)));
    assertEquals(EpisodeWriter.State.FAILED, w.state());
    assertFalse(rec.isRecording());
    assertFalse(rec.writeState(state(4, 0, stamp(1, 1))));
    assertNull(rec.current(), "a writer that could not start is no session");
    assertNull(rec.stop());
    assertFalse(rec.last().ok());
    assertEquals(w.error(), rec.last().error());
    rec.close();
  }

  @Test
  void recorderStartsStopsAndIndexesEpisodes() throws Exception {
    EpisodeRecorder rec = new EpisodeRecorder(dir.resolve("ds"), fast(), null);
    assertFalse(rec.writeState(state(4, 0, stamp(1, 1))), "nothing recorded before start");
    assertNull(rec.stop());
    for (int e = 0; e < 3; e++) {
      EpisodeWriter w = rec.start(header("", robot(4, 1, 16, 500, 30)));
      assertTrue(rec.isRecording());
      record(w, 4, 200, -1, -1);
      assertTrue(rec.mark(e == 1 ? EpisodeOutcome.EPISODE_OUTCOME_DISCARD : EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "n" + e));
      EpisodeSummary s = rec.stop();
      assertTrue(s.ok(), s.error());
      assertFalse(rec.isRecording());
    }
    rec.close();
    Dataset d = Dataset.open(dir.resolve("ds"));
    assertEquals(3, d.episodes().size());
    assertTrue(Files.exists(dir.resolve("ds/dataset.json")));
    DatasetInfo info = d.info();
    assertEquals(600, info.stateFrames());
    assertEquals(Map.of("DISCARD", 1, "SUCCESS", 2), info.outcomes());
    assertEquals(4, info.joints().count());
    assertTrue(d.validate().ok());
  }

  @Test
  void operatorEventsStartMarkAndStopOncePerEventId() throws Exception {
    EpisodeRecorder rec = new EpisodeRecorder(dir.resolve("ops"), fast(), null);
    EpisodeHeader h = header("", robot(4, 0, 0, 500, 0));
    java.util.function.BiFunction<Long, io.optimus.proto.v1.OperatorEventType, io.optimus.proto.v1.OperatorEvent> ev =
        (id, type) -> io.optimus.proto.v1.OperatorEvent.newBuilder().setEventId(id).setType(type).setText("nice").build();
    assertTrue(rec.onOperatorEvent(ev.apply(1L, io.optimus.proto.v1.OperatorEventType.OPERATOR_EVENT_RECORD_START), h));
    EpisodeWriter first = rec.current();
    assertFalse(rec.onOperatorEvent(ev.apply(1L, io.optimus.proto.v1.OperatorEventType.OPERATOR_EVENT_RECORD_START), h),
        "a repeated event is acted on once");
    assertEquals(first, rec.current());
    record(first, 4, 100, -1, -1);
    assertTrue(rec.onOperatorEvent(ev.apply(2L, io.optimus.proto.v1.OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS), h));
    assertFalse(rec.isRecording());
    assertEquals(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, rec.last().outcome());
    assertFalse(rec.onOperatorEvent(ev.apply(3L, io.optimus.proto.v1.OperatorEventType.OPERATOR_EVENT_ESTOP), h));
    try (EpisodeReader r = EpisodeReader.open(first.file())) {
      assertEquals("nice", r.outcome().orElseThrow().getNotes());
      assertEquals(1, r.messageCount(EpisodeTopics.ANNOTATION));
    }
    rec.close();
  }

  @Test
  void writerKilledMidEpisodeIsRecoveredUpToTheLastChunk() throws Exception {
    // In-process stand-in for a crash: the MCAP writer is abandoned without its summary.
    Path file = dir.resolve("abandoned.mcap");
    McapWriter.Options o = McapWriter.Options.defaults().withFsync(false).withChunkBytes(8192);
    int written;
    try (McapWriter w = McapWriter.create(file, o)) {
      int schema = w.addSchema("optimus.v1.JointState", "protobuf", ProtoSchemas.fileDescriptorSet(JointState.getDescriptor()));
      int ch = w.addChannel(schema, "/state", "protobuf", Map.of());
      for (written = 0; written < 777; written++) {
        w.addMessage(ch, written, WALL0 + written, WALL0 + written, state(8, written, stamp(written, written)).toByteArray());
      }
      w.flushChunk();
      w.addMessage(ch, 777, WALL0 + 777, WALL0 + 777, new byte[10]); // stays in the open chunk: lost
      w.abandon();
    }
    Path fixed = dir.resolve("fixed.mcap");
    McapRecovery.Report rep = McapRecovery.recover(file, fixed, o);
    assertEquals(777, rep.messages());
    assertFalse(rep.wasComplete());
  }
}
