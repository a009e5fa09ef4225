package io.optimus.motion.record.mcap;

/**
 * Constants of the MCAP container format (foxglove/mcap, docs/specification, major version 0).
 * All integers are little-endian; strings, maps and arrays carry a uint32 byte-length prefix.
 */
public final class Mcap {
  /** Leading and trailing magic: 0x89 'M' 'C' 'A' 'P' '0' '\r' '\n'. */
  static final byte[] MAGIC = {(byte) 0x89, 'M', 'C', 'A', 'P', 0x30, '\r', '\n'};

  static final int OP_HEADER = 0x01;
  static final int OP_FOOTER = 0x02;
  static final int OP_SCHEMA = 0x03;
  static final int OP_CHANNEL = 0x04;
  static final int OP_MESSAGE = 0x05;
  static final int OP_CHUNK = 0x06;
  static final int OP_MESSAGE_INDEX = 0x07;
  static final int OP_CHUNK_INDEX = 0x08;
  static final int OP_ATTACHMENT = 0x09;
  static final int OP_ATTACHMENT_INDEX = 0x0A;
  static final int OP_STATISTICS = 0x0B;
  static final int OP_METADATA = 0x0C;
  static final int OP_METADATA_INDEX = 0x0D;
  static final int OP_SUMMARY_OFFSET = 0x0E;
  static final int OP_DATA_END = 0x0F;

  /** Opcode byte + uint64 content length. */
  static final int RECORD_PREFIX = 9;
  /** Footer record (prefix + 8 + 8 + 4) followed by the trailing magic. */
  static final int FOOTER_AND_MAGIC = RECORD_PREFIX + 20 + 8;

  /** Well-known schema encoding and message encoding for protobuf payloads. */
  public static final String PROTOBUF = "protobuf";
  public static final String COMPRESSION_ZSTD = "zstd";
  public static final String COMPRESSION_NONE = "";

  private Mcap() {}

  static String opcodeName(int op) {
    return switch (op) {
      case OP_HEADER -> "Header";
      case OP_FOOTER -> "Footer";
      case OP_SCHEMA -> "Schema";
      case OP_CHANNEL -> "Channel";
      case OP_MESSAGE -> "Message";
      case OP_CHUNK -> "Chunk";
      case OP_MESSAGE_INDEX -> "MessageIndex";
      case OP_CHUNK_INDEX -> "ChunkIndex";
      case OP_ATTACHMENT -> "Attachment";
      case OP_ATTACHMENT_INDEX -> "AttachmentIndex";
      case OP_STATISTICS -> "Statistics";
      case OP_METADATA -> "Metadata";
      case OP_METADATA_INDEX -> "MetadataIndex";
      case OP_SUMMARY_OFFSET -> "SummaryOffset";
      case OP_DATA_END -> "DataEnd";
      default -> String.format("unknown(0x%02x)", op);
    };
  }
}
