package io.optimus.motion.record.mcap;

import java.util.Map;

/** Chunk Index record: where a chunk and its message indexes are. */
public record McapChunkIndex(long messageStartTime, long messageEndTime, long chunkStartOffset, long chunkLength,
    Map<Integer, Long> messageIndexOffsets, long messageIndexLength, String compression, long compressedSize,
    long uncompressedSize) {
  public McapChunkIndex {
    messageIndexOffsets = Map.copyOf(messageIndexOffsets);
  }
}
