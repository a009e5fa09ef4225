package io.optimus.motion.record.mcap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** A growable little-endian byte buffer, reused between records so steady-state writing does not allocate. */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return buf;
  }

  void clear() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      long wanted = Math.max((long) buf.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("buffer over 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void u16(int v) {
    ensure(2);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
  }

  void u32(long v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  void u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  /** Overwrites a uint32 at {@code at} (for lengths known only after the content). */
  void putU32(int at, long v) {
    for (int i = 0; i < 4; i++) {
      buf[at + i] = (byte) (v >>> (8 * i));
    }
  }

  void putU64(int at, long v) {
    for (int i = 0; i < 8; i++) {
      buf[at + i] = (byte) (v >>> (8 * i));
    }
  }

  void bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  void bytes(byte[] b) {
    bytes(b, 0, b.length);
  }

  void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(b.length);
    bytes(b);
  }

  void stringMap(Map<String, String> map) {
    int lengthAt = size;
    u32(0);
    for (Map.Entry<String, String> e : map.entrySet()) {
      string(e.getKey());
      string(e.getValue());
    }
    putU32(lengthAt, size - lengthAt - 4);
  }

  /** Starts a record: opcode and a length placeholder; returns the mark for {@link #endRecord}. */
  int beginRecord(int opcode) {
    u8(opcode);
    int mark = size;
    u64(0);
    return mark;
  }

  void endRecord(int mark) {
    putU64(mark, size - mark - 8);
  }
}
