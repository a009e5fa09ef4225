package io.optimus.motion.record;

import com.google.protobuf.Message;

/**
 * One recorded message: its channel topic, the recorder's log time and the message's own publish
 * time (Unix epoch ns), its per-channel sequence number and the decoded proto message.
 */
public record EpisodeFrame(String topic, long logTimeNs, long publishTimeNs, long sequence, Message message) {
  public <T extends Message> T as(Class<T> type) {
    return type.cast(message);
  }
}
