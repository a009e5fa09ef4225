package io.optimus.policy.engine;

import com.google.protobuf.Message;
import io.optimus.motion.record.EpisodeSink;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;

/**
 * The corrective segment of one supervised episode: takes nothing until {@link #start} (the expert's
 * takeover), then records everything the control loop reports (states, camera, task, safety events) as
 * an episode of its own, opened with an {@code intervention} annotation and tagged {@code intervention}.
 */
final class CorrectiveRecording implements EpisodeSink {
  private EpisodeWriter writer;
  private long states;

  boolean started() {
    return writer != null;
  }

  /** Starts the segment's episode at simulated time {@code nowNs}. */
  void start(Path file, EpisodeHeader header, long nowNs, String why) {
    writer = EpisodeWriter.start(file, header, EpisodeWriter.Options.defaults().withQueueCapacity(1 << 17), null);
    writer.annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(Timestamp.newBuilder().setMonotonicNs(nowNs))
        .setKind("intervention").setText("intervention start: " + why).build());
  }

  /** State messages recorded so far (the segment's frames). */
  long states() {
    return states;
  }

  /** Ends the segment's episode (SUCCESS if the expert completed the task); null if it never started. */
  EpisodeSummary finish(boolean success, String notes) {
    return writer == null ? null : finish(writer, success, notes);
  }

  /** Ends a supervised episode's recording with the task's outcome; losing any message is an error. */
  static EpisodeSummary finish(EpisodeWriter writer, boolean success, String notes) {
    writer.setTaskSuccess(success);
    EpisodeSummary s = writer.finish(success ? EpisodeOutcome.EPISODE_OUTCOME_SUCCESS
        : EpisodeOutcome.EPISODE_OUTCOME_FAILURE, notes);
    if (!s.ok() || s.dropped() > 0) {
      throw new IllegalStateException("recording " + s.file() + " lost messages (" + s.dropped() + " dropped): "
          + s.error());
    }
    return s;
  }

  @Override
  public boolean offer(String topic, Message message) {
    return writer != null && writer.offer(topic, message);
  }

  @Override
  public boolean writeCamera(CameraFrame f) {
    return writer != null && writer.writeCamera(f);
  }

  @Override
  public boolean writeState(JointState s) {
    boolean taken = offer(EpisodeTopics.STATE, s);
    states += taken ? 1 : 0;
    return taken;
  }
}
