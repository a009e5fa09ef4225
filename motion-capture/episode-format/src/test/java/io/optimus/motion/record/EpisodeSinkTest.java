package io.optimus.motion.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder and the writer are one {@link EpisodeSink}: each typed write lands on its topic in a real file. */
class EpisodeSinkTest {
  @TempDir Path dir;

  /** Every typed write once; returns how many were taken. */
  private static int writeEach(EpisodeSink sink) {
    boolean[] taken = {
        sink.writeState(JointState.newBuilder().setSequence(1).build()),
        sink.writeCommand(JointCommand.newBuilder().setSequence(2).build()),
        sink.writeOperator(OperatorFrame.newBuilder().setSequence(3).build()),
        sink.writeCamera(CameraFrame.newBuilder().setCameraName("head").setSequence(4).build()),
        sink.writeTask(TaskState.newBuilder().setSeed(5).build()),
        sink.writeSafetyEvent(SafetyEvent.newBuilder().setDetail("six").build()),
        sink.writeSafetyStatus(SafetyStatus.newBuilder().build()),
        sink.annotate(Annotation.newBuilder().setText("eight").build())};
    int n = 0;
    for (boolean t : taken) {
      n += t ? 1 : 0;
    }
    return n;
  }

  @Test
  void recorderTakesNothingWhenIdleAndEveryTypedWriteOnItsTopicWhenRecording() throws Exception {
    try (EpisodeRecorder rec = new EpisodeRecorder(dir, EpisodeWriterTest.fast().withFoxgloveImages(false), null)) {
      assertEquals(0, writeEach(rec), "nothing is recording");
      EpisodeWriter w = rec.start(EpisodeHeader.newBuilder().setEpisodeId("sink").build());
      assertEquals(8, writeEach(rec));
      EpisodeSummary s = rec.stop();
      assertTrue(s.ok(), s.toString());
      assertEquals(0, writeEach(rec), "stopped");
      assertFalse(w.isRecording());
      try (EpisodeReader r = EpisodeReader.open(s.file())) {
        Map<String, Integer> expected = Map.of(EpisodeTopics.STATE, 1, EpisodeTopics.COMMAND, 1,
            EpisodeTopics.OPERATOR, 1, EpisodeTopics.camera("head"), 1, EpisodeTopics.TASK, 1,
            EpisodeTopics.SAFETY_EVENT, 1, EpisodeTopics.SAFETY, 1, EpisodeTopics.ANNOTATION, 1);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
          assertEquals((long) e.getValue(), r.messageCount(e.getKey()), e.getKey());
        }
      }
    }
  }
}
