package io.optimus.motion.record.mcap;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads little-endian MCAP fields from a byte array with bounds checks; every failure names the file
 * and the absolute byte offset ({@code base} + position) where the field was expected.
 */
final class ByteSource {
  private final Path file;
  private final byte[] buf;
  private final long base;
  private final int end;
  private int pos;

  ByteSource(Path file, byte[] buf, int from, int to, long base) {
    this.file = file;
    this.buf = buf;
    this.pos = from;
    this.end = to;
    this.base = base - from;
  }

  int position() {
    return pos;
  }

  long fileOffset() {
    return base + pos;
  }

  int remaining() {
    return end - pos;
  }

  byte[] array() {
    return buf;
  }

  private void need(long n, String what) {
    if (n < 0 || n > end - pos) {
      throw new McapException(file, fileOffset(),
          "truncated " + what + ": needs " + n + " bytes, " + (end - pos) + " left in the record");
    }
  }

  int u8(String what) {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  int u16(String what) {
    need(2, what);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  long u32(String what) {
    need(4, what);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) (buf[pos + i] & 0xff) << (8 * i);
    }
    pos += 4;
    return v;
  }

  long u64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (buf[pos + i] & 0xff) << (8 * i);
    }
    pos += 8;
    return v;
  }

  byte[] bytes(long n, String what) {
    need(n, what);
    byte[] out = new byte[(int) n];
    System.arraycopy(buf, pos, out, 0, (int) n);
    pos += (int) n;
    return out;
  }

  void skip(long n, String what) {
    need(n, what);
    pos += (int) n;
  }

  String string(String what) {
    long offset = fileOffset();
    long n = u32(what + " length");
    need(n, what);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, (int) n)).toString();
      pos += (int) n;
      return s;
    } catch (CharacterCodingException e) {
      throw new McapException(file, offset, what + " is not valid UTF-8");
    }
  }

  Map<String, String> stringMap(String what) {
    long n = u32(what + " length");
    need(n, what);
    int stop = pos + (int) n;
    Map<String, String> map = new LinkedHashMap<>();
    while (pos < stop) {
      String k = string(what + " key");
      String v = string(what + " value");
      map.put(k, v);
    }
    if (pos != stop) {
      throw new McapException(file, fileOffset(), what + " entries overrun the map length");
    }
    return map;
  }

  Map<Integer, Long> u16u64Map(String what) {
    long n = u32(what + " length");
    need(n, what);
    if (n % 10 != 0) {
      throw new McapException(file, fileOffset(), what + " length " + n + " is not a multiple of 10");
    }
    Map<Integer, Long> map = new LinkedHashMap<>();
    for (long i = 0; i < n / 10; i++) {
      int k = u16(what + " key");
      map.put(k, u64(what + " value"));
    }
    return map;
  }
}
