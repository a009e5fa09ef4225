package io.optimus.motion.record.mcap;

/** Schema record: how to decode a channel's messages (for protobuf: a serialized FileDescriptorSet). */
public record McapSchema(int id, String name, String encoding, byte[] data) {}
