package io.optimus.motion.record;

import com.google.protobuf.Message;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyStatus;
import io.optimus.proto.v1.TaskState;

/**
 * Where a control loop's messages go to be recorded: one episode ({@link EpisodeWriter}) or whatever
 * episode the {@link EpisodeRecorder} is recording now. Every write is non-blocking, never throws, and
 * returns false when the message was not taken (nothing recording, queue full, failed). Each typed
 * write is {@link #offer} on its {@link EpisodeTopics} topic.
 */
public interface EpisodeSink {
  /** Queues {@code message} on {@code topic}; false if it was not taken. */
  boolean offer(String topic, Message message);

  /** A camera frame, on its camera's topic ({@link EpisodeTopics#camera}). */
  boolean writeCamera(CameraFrame f);

  default boolean writeState(JointState s) {
    return offer(EpisodeTopics.STATE, s);
  }

  default boolean writeCommand(JointCommand c) {
    return offer(EpisodeTopics.COMMAND, c);
  }

  default boolean writeOperator(OperatorFrame f) {
    return offer(EpisodeTopics.OPERATOR, f);
  }

  default boolean writeTask(TaskState t) {
    return offer(EpisodeTopics.TASK, t);
  }

  default boolean writeSafetyEvent(SafetyEvent e) {
    return offer(EpisodeTopics.SAFETY_EVENT, e);
  }

  default boolean writeSafetyStatus(SafetyStatus s) {
    return offer(EpisodeTopics.SAFETY, s);
  }

  default boolean annotate(Annotation a) {
    return offer(EpisodeTopics.ANNOTATION, a);
  }
}
