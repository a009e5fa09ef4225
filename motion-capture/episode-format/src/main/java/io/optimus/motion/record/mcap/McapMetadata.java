package io.optimus.motion.record.mcap;

import java.util.Map;

/** Metadata record: named string key/value pairs. */
public record McapMetadata(String name, Map<String, String> values) {
  public McapMetadata {
    values = Map.copyOf(values);
  }
}
