package io.optimus.motion.record.mcap;

import java.util.Map;

/** Channel record: one topic, its schema and message encoding. */
public record McapChannel(int id, int schemaId, String topic, String messageEncoding, Map<String, String> metadata) {
  public McapChannel {
    metadata = Map.copyOf(metadata);
  }
}
