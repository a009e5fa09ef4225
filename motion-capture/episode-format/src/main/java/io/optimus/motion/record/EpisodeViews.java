package io.optimus.motion.record;

import com.google.protobuf.Message;
import io.optimus.proto.v1.EpisodeHeader;
import java.io.IOException;

/**
 * Messages derived from the recorded ones, made on the episode's writer thread (never on the control
 * loop that offered the originals): e.g. the Foxglove 3D scene (link transforms from each joint state,
 * objects from each task state). One instance per episode, made by a {@link Factory} from the
 * episode's header when its writer thread starts. A view that throws a RuntimeException is switched
 * off for the rest of the episode (logged once); the recording itself goes on.
 */
public interface EpisodeViews {
  /** Makes the views of one episode (on its writer thread, once). */
  @FunctionalInterface
  interface Factory {
    EpisodeViews create(EpisodeHeader header);
  }

  /** Where derived messages go: a channel per topic, registered on first use like any other. */
  @FunctionalInterface
  interface Out {
    /** Writes {@code message} on {@code topic} with these log and publish times (Unix epoch ns). */
    void write(String topic, Message message, long logTime, long publishTime) throws IOException;
  }

  /** After the header, before any other message: e.g. static geometry. */
  default void start(long logTime, Out out) throws IOException {}

  /**
   * After {@code message} was written on {@code topic} (log time {@code logTime}, publish time
   * {@code publishTime}: its own wall stamp when it has one).
   */
  void after(String topic, Message message, long logTime, long publishTime, Out out) throws IOException;
}
