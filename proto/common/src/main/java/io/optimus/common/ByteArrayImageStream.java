package io.optimus.common;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.stream.ImageOutputStreamImpl;

/**
 * An in-memory image stream (ImageIO reads and writes it) over one growable array that is reused frame
 * after frame: the video encoder rewinds and writes it, the decoder fills and reads it. ImageIO's own
 * streams allocate per frame, and its input stream caches every frame in a temporary file.
 */
public final class ByteArrayImageStream extends ImageOutputStreamImpl {
  private byte[] buffer;
  private int length;

  public ByteArrayImageStream(int capacity) {
    buffer = new byte[capacity];
  }

  /** Empties the stream for the next frame (the array stays). */
  public void rewind() {
    streamPos = 0;
    flushedPos = 0;
    bitOffset = 0;
    length = 0;
  }

  /** Rewinds and holds a copy of {@code bytes}, to be read from the start. */
  public void fill(ByteString bytes) throws IOException {
    rewind();
    room(bytes.size());
    bytes.copyTo(buffer, 0);
    length = bytes.size();
  }

  /** What was written, as a view of the array: valid until the next rewind or fill. */
  public ByteString view() {
    return UnsafeByteOperations.unsafeWrap(buffer, 0, length);
  }

  private void room(long end) throws IOException {
    if (end > Integer.MAX_VALUE - 16) {
      throw new IOException("image larger than 2 GB");
    }
    if (end > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(end, 2L * buffer.length)));
    }
  }

  @Override
  public void write(int b) throws IOException {
    flushBits();
    room(streamPos + 1);
    buffer[(int) streamPos++] = (byte) b;
    length = Math.max(length, (int) streamPos);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    flushBits();
    room(streamPos + len);
    System.arraycopy(b, off, buffer, (int) streamPos, len);
    streamPos += len;
    length = Math.max(length, (int) streamPos);
  }

  @Override
  public int read() {
    bitOffset = 0;
    return streamPos < length ? buffer[(int) streamPos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    bitOffset = 0;
    int n = (int) Math.min(len, length - streamPos);
    if (n <= 0) {
      return len == 0 ? 0 : -1;
    }
    System.arraycopy(buffer, (int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void close() {
    // the array lives as long as its owner
  }
}
