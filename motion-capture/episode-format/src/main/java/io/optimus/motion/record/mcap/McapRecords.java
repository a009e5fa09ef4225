package io.optimus.motion.record.mcap;

import com.github.luben.zstd.Zstd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Parsing of individual record contents, shared by the indexed reader, the validator and recovery. */
final class McapRecords {
  private McapRecords() {}

  /** zstd's largest expansion: a 128 KiB block can be stored as a 4-byte RLE block. */
  private static final long MAX_ZSTD_RATIO = 32768;

  /** A chunk's decompressed records region, after its CRC was checked. */
  record ChunkData(long messageStartTime, long messageEndTime, byte[] records, long fileOffset) {}

  static McapSchema schema(ByteSource in) {
    int id = in.u16("schema id");
    String name = in.string("schema name");
    String encoding = in.string("schema encoding");
    long n = in.u32("schema data length");
    return new McapSchema(id, name, encoding, in.bytes(n, "schema data"));
  }

  static McapChannel channel(ByteSource in) {
    int id = in.u16("channel id");
    int schemaId = in.u16("channel schema id");
    String topic = in.string("channel topic");
    String encoding = in.string("channel message encoding");
    return new McapChannel(id, schemaId, topic, encoding, in.stringMap("channel metadata"));
  }

  static McapMessage message(ByteSource in) {
    int channel = in.u16("message channel id");
    long seq = in.u32("message sequence");
    long log = in.u64("message log time");
    long pub = in.u64("message publish time");
    return new McapMessage(channel, seq, log, pub, in.bytes(in.remaining(), "message data"));
  }

  static McapMetadata metadata(ByteSource in) {
    String name = in.string("metadata name");
    return new McapMetadata(name, in.stringMap("metadata map"));
  }

  /**
   * Parses a Chunk record's content (starting at {@code contentOffset} in the file), decompresses it
   * and checks its uncompressed CRC32; throws naming the offset on any problem.
   */
  static ChunkData chunk(Path file, ByteSource in, long recordOffset) {
    long start = in.u64("chunk message start time");
    long end = in.u64("chunk message end time");
    long uncompressedSize = in.u64("chunk uncompressed size");
    long crc = in.u32("chunk uncompressed crc");
    String compression = in.string("chunk compression");
    long n = in.u64("chunk records length");
    if (n < 0 || n > in.remaining()) {
      throw new McapException(file, in.fileOffset(), "chunk records length " + n + " exceeds the record ("
          + in.remaining() + " bytes left)");
    }
    if (uncompressedSize < 0 || uncompressedSize > Integer.MAX_VALUE - 16) {
      throw new McapException(file, recordOffset, "chunk uncompressed size " + uncompressedSize + " is implausible");
    }
    byte[] records;
    int from = in.position();
    if (compression.isEmpty()) {
      if (n != uncompressedSize) {
        throw new McapException(file, recordOffset, "uncompressed chunk: records length " + n
            + " differs from uncompressed size " + uncompressedSize);
      }
      records = in.bytes(n, "chunk records");
    } else if (compression.equals(Mcap.COMPRESSION_ZSTD)) {
      if (uncompressedSize > n * MAX_ZSTD_RATIO + 65536) { // checked before allocating what the header claims
        throw new McapException(file, recordOffset, "chunk claims " + uncompressedSize + " uncompressed bytes from "
            + n + " compressed: more than zstd can expand (corrupt header)");
      }
      records = new byte[(int) uncompressedSize];
      long got;
      try {
        got = Zstd.decompressByteArray(records, 0, records.length, in.array(), from, (int) n);
      } catch (RuntimeException e) { // zstd-jni throws ZstdException for corrupt input
        throw new McapException(file, recordOffset, "chunk does not decompress (zstd: " + e.getMessage() + ")");
      }
      if (Zstd.isError(got)) {
        throw new McapException(file, recordOffset, "chunk does not decompress (zstd: " + Zstd.getErrorName(got) + ")");
      }
      if (got != uncompressedSize) {
        throw new McapException(file, recordOffset, "chunk decompressed to " + got + " bytes, header says "
            + uncompressedSize);
      }
      in.skip(n, "chunk records");
    } else {
      throw new McapException(file, recordOffset, "unsupported chunk compression '" + compression + "'");
    }
    if (crc != 0) {
      CRC32 c = new CRC32();
      c.update(records);
      if (c.getValue() != crc) {
        throw new McapException(file, recordOffset, String.format(
            "chunk CRC mismatch: stored %08x, computed %08x (corrupt data)", crc, c.getValue()));
      }
    }
    return new ChunkData(start, end, records, recordOffset);
  }

  /** One record inside a chunk: its opcode and content bounds within the decompressed array. */
  record Inner(int opcode, int contentFrom, int contentTo, int recordOffset) {}

  /** Splits a chunk's records region into records; throws if a record overruns it. */
  static List<Inner> innerRecords(Path file, ChunkData chunk) {
    List<Inner> out = new ArrayList<>();
    byte[] b = chunk.records();
    ByteSource in = new ByteSource(file, b, 0, b.length, chunk.fileOffset());
    while (in.remaining() > 0) {
      int at = in.position();
      int op = in.u8("record opcode in chunk");
      long len = in.u64("record length in chunk");
      if (len > in.remaining()) {
        throw new McapException(file, chunk.fileOffset(), Mcap.opcodeName(op) + " record at byte " + at
            + " of the decompressed chunk declares " + len + " bytes, only " + in.remaining() + " left");
      }
      out.add(new Inner(op, in.position(), in.position() + (int) len, at));
      in.skip(len, "record in chunk");
    }
    return out;
  }

  static ByteSource contentOf(Path file, ChunkData chunk, Inner r) {
    return new ByteSource(file, chunk.records(), r.contentFrom(), r.contentTo(), chunk.fileOffset());
  }
}
