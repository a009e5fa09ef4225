package io.optimus.policy.engine;

import com.google.protobuf.Message;
import io.optimus.motion.record.EpisodeSink;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Path;

/**
 * DAgger's recording of one supervised episode, whole: while the learner drives, every state is recorded
 * with the expert's command at that moment ({@link SupervisedSource#expertTarget}: its own command chain,
 * as if it had driven all along) as the commanded positions a policy learns from, so the states the
 * learner's own mistakes lead to are labelled with where the expert would have the robot; states before
 * the expert's first command are left out. From a takeover on, the
 * expert drives and its commands are recorded as they are (a takeover annotation marks the switch). The
 * header carries {@code labels=expert}, which keeps a failed drive trainable.
 */
final class ExpertLabelledRecording implements EpisodeSink {
  private final EpisodeWriter writer;
  private final SupervisedSource source;
  private final double[] label;
  private long states;

  ExpertLabelledRecording(Path file, EpisodeHeader header, SupervisedSource source, int dof) {
    this.writer = EpisodeWriter.start(file, header, EpisodeWriter.Options.defaults().withQueueCapacity(1 << 17), null);
    this.source = source;
    this.label = new double[dof];
  }

  /** Marks the expert's takeover at simulated time {@code nowNs}. */
  void tookOver(long nowNs, String why) {
    writer.annotate(Annotation.newBuilder().setSchemaVersion(1).setStamp(Timestamp.newBuilder().setMonotonicNs(nowNs))
        .setKind("intervention").setText("intervention start: " + why).build());
  }

  /** State messages recorded so far. */
  long states() {
    return states;
  }

  EpisodeSummary finish(boolean success, String notes) {
    return CorrectiveRecording.finish(writer, success, notes);
  }

  @Override
  public boolean offer(String topic, Message message) {
    return writer.offer(topic, message);
  }

  @Override
  public boolean writeCamera(CameraFrame f) {
    return writer.writeCamera(f);
  }

  @Override
  public boolean writeState(JointState s) {
    JointState recorded = s;
    if (!source.tookOver()) {
      if (!source.expertTarget(label)) {
        return true; // no expert target yet: nothing to learn from this state
      }
      JointState.Builder b = s.toBuilder().clearCommandedPosition();
      for (double v : label) {
        b.addCommandedPosition(v);
      }
      recorded = b.build();
    }
    boolean taken = offer(EpisodeTopics.STATE, recorded);
    states += taken ? 1 : 0;
    return taken;
  }
}
