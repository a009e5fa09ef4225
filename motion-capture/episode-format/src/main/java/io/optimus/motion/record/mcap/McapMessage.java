package io.optimus.motion.record.mcap;

/** One message: times are uint64 nanoseconds (this project: Unix epoch). */
public record McapMessage(int channelId, long sequence, long logTime, long publishTime, byte[] data) {}
