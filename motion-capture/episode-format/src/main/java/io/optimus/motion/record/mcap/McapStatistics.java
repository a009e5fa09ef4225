package io.optimus.motion.record.mcap;

import java.util.Map;

/** Statistics record of the summary section. */
public record McapStatistics(long messageCount, int schemaCount, long channelCount, long attachmentCount,
    long metadataCount, long chunkCount, long messageStartTime, long messageEndTime,
    Map<Integer, Long> channelMessageCounts) {
  public McapStatistics {
    channelMessageCounts = Map.copyOf(channelMessageCounts);
  }
}
