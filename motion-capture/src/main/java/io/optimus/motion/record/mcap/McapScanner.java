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
