package io.optimus.motion.record.mcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads an MCAP file record by record from the start, as a crash leaves it: each call returns the next
 * complete record or throws {@link McapException} naming where the file stops making sense. Keeps a
 * running CRC32 of every byte consumed, for the Data End check.
 */
final class McapScanner {
  /** One record: opcode, absolute offset of its opcode byte, content (without opcode and length). */
  record Rec(int opcode, long offset, byte[] content) {
    long length() {
      return Mcap.RECORD_PREFIX + (long) content.length;
    }
  }

  private final Path path;
  private final FileChannel file;
  private final long size;
  private final CRC32 crc = new CRC32();
  private long pos;
  private boolean crcValid = true;

  McapScanner(Path path, FileChannel file) throws IOException {
    this.path = path;
    this.file = file;
    this.size = file.size();
    byte[] magic = read(0, Math.min(8, size));
    if (magic.length < 8 || !Arrays.equals(magic, Mcap.MAGIC)) {
      throw new McapException(path, 0, "not an MCAP file (missing magic bytes 89 4D 43 41 50 30 0D 0A)");
    }
    crc.update(magic);
    pos = 8;
  }

  long position() {
    return pos;
  }

  long size() {
    return size;
  }

  /** CRC32 of bytes [0, position()). */
  long crcSoFar() {
    return crc.getValue();
  }

  /** False once {@link #seek} skipped bytes: {@link #crcSoFar} no longer covers the data section. */
  boolean crcValid() {
    return crcValid;
  }

  /** Continues reading at {@code to} (after {@link #resync}). */
  void seek(long to) {
    pos = to;
    crcValid = false;
  }

  /**
   * After broken framing (a damaged length, garbage in the middle): the first offset at or after
   * {@code from} where a data-section record plausibly starts, or -1. Plausible means a Chunk, Schema,
   * Channel, Metadata, Message Index or Data End whose own fields are consistent and which is followed
   * by another record prefix or the end of the file, so a random byte rarely qualifies.
   */
  long resync(long from) throws IOException {
    byte[] block = new byte[1 << 20];
    for (long base = Math.max(8, from); size - base >= Mcap.RECORD_PREFIX; ) {
      int n = (int) Math.min(block.length, size - base);
      readInto(base, block, n);
      for (int i = 0; i + Mcap.RECORD_PREFIX <= n; i++) {
        int op = block[i] & 0xff;
        if (op != Mcap.OP_CHUNK && op != Mcap.OP_MESSAGE_INDEX && op != Mcap.OP_DATA_END && op != Mcap.OP_SCHEMA
            && op != Mcap.OP_CHANNEL && op != Mcap.OP_METADATA) {
          continue;
        }
        long len = le64(block, i + 1);
        if (len >= 0 && len <= size - base - i - Mcap.RECORD_PREFIX && plausible(base + i, op, len)) {
          return base + i;
        }
      }
      if (n < block.length) {
        break;
      }
      base += n - (Mcap.RECORD_PREFIX - 1);
    }
    return -1;
  }

  private boolean plausible(long at, int op, long len) throws IOException {
    long content = at + Mcap.RECORD_PREFIX;
    boolean fits = switch (op) {
      case Mcap.OP_DATA_END -> len == 4;
      case Mcap.OP_MESSAGE_INDEX -> {
        if (len < 6) {
          yield false;
        }
        byte[] h = read(content, 6);
        long entries = (h[2] & 0xffL) | (h[3] & 0xffL) << 8 | (h[4] & 0xffL) << 16 | (h[5] & 0xffL) << 24;
        yield entries == len - 6 && entries % 16 == 0;
      }
      case Mcap.OP_CHUNK -> {
        if (len < 44) {
          yield false;
        }
        byte[] h = read(content, (int) Math.min(len, 64));
        long compressionLength = (h[28] & 0xffL) | (h[29] & 0xffL) << 8 | (h[30] & 0xffL) << 16 | (h[31] & 0xffL) << 24;
        if (compressionLength > 16 || 32 + compressionLength + 8 > h.length) {
          yield false;
        }
        String compression = new String(h, 32, (int) compressionLength, java.nio.charset.StandardCharsets.US_ASCII);
        long records = le64(h, 32 + (int) compressionLength);
        yield (compression.isEmpty() || compression.equals("zstd") || compression.equals("lz4"))
            && records == len - (32 + compressionLength + 8) && le64(h, 0) <= le64(h, 8);
      }
      default -> { // Schema, Channel, Metadata: small; parse them whole
        if (len > 16 << 20) {
          yield false;
        }
        byte[] c = read(content, (int) len);
        ByteSource in = new ByteSource(path, c, 0, c.length, content);
        try {
          switch (op) {
            case Mcap.OP_SCHEMA -> McapRecords.schema(in);
            case Mcap.OP_CHANNEL -> McapRecords.channel(in);
            default -> McapRecords.metadata(in);
          }
        } catch (McapException e) {
          yield false;
        }
        yield in.remaining() == 0;
      }
    };
    if (!fits) {
      return false;
    }
    long next = content + len;
    if (next == size) {
      return true;
    }
    if (size - next < Mcap.RECORD_PREFIX) {
      return false;
    }
    byte[] p = read(next, Mcap.RECORD_PREFIX);
    long nextLen = le64(p, 1);
    return (p[0] & 0xff) >= Mcap.OP_HEADER && (p[0] & 0xff) <= Mcap.OP_DATA_END && nextLen >= 0
        && nextLen <= size - next - Mcap.RECORD_PREFIX;
  }

  private static long le64(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (b[at + i] & 0xff) << (8 * i);
    }
    return v;
  }

  private void readInto(long at, byte[] out, int n) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(out, 0, n);
    while (bb.hasRemaining()) {
      if (file.read(bb, at + bb.position()) < 0) {
        throw new McapException(path, at + bb.position(), "unexpected end of file");
      }
    }
  }

  boolean atEnd() {
    return pos >= size;
  }

  /** True when exactly the trailing magic remains. */
  boolean atTrailingMagic() throws IOException {
    return size - pos == 8 && Arrays.equals(read(pos, 8), Mcap.MAGIC);
  }

  Rec next() throws IOException {
    if (size - pos < Mcap.RECORD_PREFIX) {
      throw new McapException(path, pos, "truncated record header: " + (size - pos) + " bytes left, 9 needed");
    }
    byte[] prefix = read(pos, Mcap.RECORD_PREFIX);
    int op = prefix[0] & 0xff;
    long len = 0;
    for (int i = 0; i < 8; i++) {
      len |= (long) (prefix[1 + i] & 0xff) << (8 * i);
    }
    long left = size - pos - Mcap.RECORD_PREFIX;
    if (len < 0 || len > left) {
      throw new McapException(path, pos, "truncated " + Mcap.opcodeName(op) + " record: declares "
          + Long.toUnsignedString(len) + " bytes, " + left + " remain in the file");
    }
    if (len > Integer.MAX_VALUE - 16) {
      throw new McapException(path, pos, Mcap.opcodeName(op) + " record of " + len + " bytes is too large");
    }
    if (op == 0) {
      throw new McapException(path, pos, "invalid opcode 0x00 (zero bytes: the file was preallocated or cut)");
    }
    byte[] content = read(pos + Mcap.RECORD_PREFIX, (int) len);
    Rec r = new Rec(op, pos, content);
    crc.update(prefix);
    crc.update(content);
    pos += Mcap.RECORD_PREFIX + len;
    return r;
  }

  ByteSource source(Rec r) {
    return new ByteSource(path, r.content(), 0, r.content().length, r.offset() + Mcap.RECORD_PREFIX);
  }

  private byte[] read(long at, long n) throws IOException {
    byte[] out = new byte[(int) n];
    ByteBuffer bb = ByteBuffer.wrap(out);
    while (bb.hasRemaining()) {
      int got = file.read(bb, at + bb.position());
      if (got < 0) {
        throw new McapException(path, at + bb.position(), "unexpected end of file");
      }
    }
    return out;
  }
}
