package io.optimus.motion.record.mcap;

import com.github.luben.zstd.Zstd;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes an indexed, chunked MCAP file (foxglove/mcap specification): Schema and Channel records in
 * the data section, Messages grouped into zstd-compressed Chunks (each with its uncompressed CRC32)
 * followed by their Message Index records, Metadata records, then Data End (data section CRC), a
 * summary (schemas, channels, chunk and metadata indexes, statistics), Summary Offsets and the Footer.
 *
 * <p>Not thread-safe: one writer thread owns it. A chunk reaches the file only when it is closed, by
 * size ({@link Options#chunkBytes}) or by the caller ({@link #flushChunk}); everything before the
 * last written chunk survives a crash and is recovered by {@link McapRecovery}.
 */
public final class McapWriter implements Closeable {
  /** How to write: compression ("zstd" or ""), zstd level, uncompressed chunk size bound, fsync per chunk. */
  public record Options(String profile, String library, String compression, int zstdLevel, int chunkBytes,
      boolean fsyncChunks) {
    public Options {
      Objects.requireNonNull(profile);
      Objects.requireNonNull(library);
      if (!compression.equals(Mcap.COMPRESSION_ZSTD) && !compression.equals(Mcap.COMPRESSION_NONE)) {
        throw new IllegalArgumentException("compression must be \"zstd\" or \"\", not \"" + compression + "\"");
      }
      if (chunkBytes < 1024) {
        throw new IllegalArgumentException("chunkBytes must be at least 1024");
      }
    }

    public static Options defaults() {
      return new Options("", "optimus-teleop mcap", Mcap.COMPRESSION_ZSTD, 3, 4 << 20, true);
    }

    public Options withCompression(String c) {
      return new Options(profile, library, c, zstdLevel, chunkBytes, fsyncChunks);
    }

    public Options withChunkBytes(int bytes) {
      return new Options(profile, library, compression, zstdLevel, bytes, fsyncChunks);
    }

    public Options withFsync(boolean fsync) {
      return new Options(profile, library, compression, zstdLevel, chunkBytes, fsync);
    }

    public Options withLibrary(String lib) {
      return new Options(profile, lib, compression, zstdLevel, chunkBytes, fsyncChunks);
    }

    public Options withZstdLevel(int level) {
      return new Options(profile, library, compression, level, chunkBytes, fsyncChunks);
    }
  }

  private static final class IndexEntries {
    long[] pairs = new long[64];
    int n;

    void add(long time, long offset) {
      if (2 * n + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      pairs[2 * n] = time;
      pairs[2 * n + 1] = offset;
      n++;
    }
  }

  private final Path path;
  private final Options options;
  private final FileChannel file;
  private final CRC32 dataCrc = new CRC32();
  private final ByteSink record = new ByteSink(4096);
  private final ByteSink chunk;
  private final CRC32 chunkCrc = new CRC32();
  private final TreeMap<Integer, IndexEntries> chunkIndexEntries = new TreeMap<>();
  private final List<IndexEntries> spareIndexEntries = new ArrayList<>();
  private byte[] compressed = new byte[0];
  private long chunkStart = Long.MAX_VALUE;
  private long chunkEnd = Long.MIN_VALUE;
  private int chunkMessages;

  private final Map<Integer, McapSchema> schemas = new LinkedHashMap<>();
  private final Map<Integer, McapChannel> channels = new LinkedHashMap<>();
  private final List<McapChunkIndex> chunkIndexes = new ArrayList<>();
  private final List<long[]> metadataIndexes = new ArrayList<>(); // offset, length
  private final List<String> metadataNames = new ArrayList<>();
  // Statistics of messages in written chunks only (a chunk lost to a failed write is not counted).
  private final Map<Integer, Long> channelCounts = new TreeMap<>();
  private long messageCount;
  private long writtenMessages;
  private long startTime = Long.MAX_VALUE;
  private long endTime = Long.MIN_VALUE;
  private long position;
  /** End of the last complete record (a chunk with its message indexes counts as one): where salvage cuts. */
  private long committed;
  private boolean closed;
  private boolean salvaging;
  private Boolean salvaged;
  private IOException failure;

  private McapWriter(Path path, FileChannel file, Options options) {
    this.path = path;
    this.file = file;
    this.options = options;
    this.chunk = new ByteSink(Math.min(options.chunkBytes() + 65536, 64 << 20));
  }

  /**
   * Creates {@code path} (it must not exist) and writes the magic and Header. If those cannot be
   * written (disk full) the file just created is removed again: nothing is left behind.
   */
  public static McapWriter create(Path path, Options options) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    McapWriter w = new McapWriter(path, ch, options);
    try {
      w.record.bytes(Mcap.MAGIC);
      int m = w.record.beginRecord(Mcap.OP_HEADER);
      w.record.string(options.profile());
      w.record.string(options.library());
      w.record.endRecord(m);
      w.emitRecord();
      w.committed = w.position;
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return w;
  }

  public Path path() {
    return path;
  }

  /** Bytes handed to the file so far (written chunks, not the open one). */
  public long bytesWritten() {
    return position;
  }

  /** Uncompressed bytes waiting in the open chunk. */
  public int pendingChunkBytes() {
    return chunk.size();
  }

  public int pendingChunkMessages() {
    return chunkMessages;
  }

  public long messageCount() {
    return messageCount;
  }

  /** Chunks completely written (with their message indexes). */
  public int chunksWritten() {
    return chunkIndexes.size();
  }

  /** Registers a schema (written to the data section now) and returns its id (1, 2, ...). */
  public int addSchema(String name, String encoding, byte[] data) throws IOException {
    checkOpen();
    int id = schemas.size() + 1;
    McapSchema s = new McapSchema(id, name, encoding, data.clone());
    writeSchema(record, s);
    emitRecord();
    committed = position;
    schemas.put(id, s);
    return id;
  }

  /** Registers a channel (written to the data section now) and returns its id (0, 1, ...). */
  public int addChannel(int schemaId, String topic, String messageEncoding, Map<String, String> metadata)
      throws IOException {
    checkOpen();
    if (schemaId != 0 && !schemas.containsKey(schemaId)) {
      throw new IllegalArgumentException("unknown schema id " + schemaId);
    }
    if (channels.size() >= 65535) {
      throw new IllegalStateException("too many channels");
    }
    int id = channels.size();
    McapChannel c = new McapChannel(id, schemaId, topic, messageEncoding, metadata);
    writeChannel(record, c);
    emitRecord();
    committed = position;
    channels.put(id, c);
    return id;
  }

  /** Adds a message to the open chunk; the chunk is written once it holds {@code chunkBytes}. */
  public void addMessage(int channelId, long sequence, long logTime, long publishTime, byte[] data, int off, int len)
      throws IOException {
    checkOpen();
    if (!channels.containsKey(channelId)) {
      throw new IllegalArgumentException("unknown channel id " + channelId);
    }
    int offset = chunk.size();
    chunk.u8(Mcap.OP_MESSAGE);
    chunk.u64(2 + 4 + 8 + 8 + (long) len);
    chunk.u16(channelId);
    chunk.u32(sequence & 0xffffffffL);
    chunk.u64(logTime);
    chunk.u64(publishTime);
    chunk.bytes(data, off, len);
    IndexEntries entries = chunkIndexEntries.get(channelId);
    if (entries == null) {
      entries = spareIndexEntries.isEmpty() ? new IndexEntries() : spareIndexEntries.remove(spareIndexEntries.size() - 1);
      chunkIndexEntries.put(channelId, entries);
    }
    entries.add(logTime, offset);
    chunkMessages++;
    chunkStart = Math.min(chunkStart, logTime);
    chunkEnd = Math.max(chunkEnd, logTime);
    messageCount++;
    if (chunk.size() >= options.chunkBytes()) {
      flushChunk();
    }
  }

  public void addMessage(int channelId, long sequence, long logTime, long publishTime, byte[] data) throws IOException {
    addMessage(channelId, sequence, logTime, publishTime, data, 0, data.length);
  }

  /** Writes a Metadata record (outside chunks), after closing the open chunk so order is kept. */
  public void addMetadata(String name, Map<String, String> values) throws IOException {
    checkOpen();
    flushChunk();
    long offset = position;
    int m = record.beginRecord(Mcap.OP_METADATA);
    record.string(name);
    record.stringMap(values);
    record.endRecord(m);
    long length = record.size();
    emitRecord();
    committed = position;
    metadataIndexes.add(new long[] {offset, length});
    metadataNames.add(name);
  }

  /** Writes the open chunk (if it holds anything) and its message indexes; fsyncs if configured. */
  public void flushChunk() throws IOException {
    checkOpen();
    if (chunk.size() == 0) {
      return;
    }
    try {
      byte[] payload;
      int payloadLength;
      chunkCrc.reset();
      chunkCrc.update(chunk.array(), 0, chunk.size());
      if (options.compression().equals(Mcap.COMPRESSION_ZSTD)) {
        int bound = (int) Zstd.compressBound(chunk.size());
        if (compressed.length < bound) {
          compressed = new byte[bound];
        }
        long n = Zstd.compressByteArray(compressed, 0, compressed.length, chunk.array(), 0, chunk.size(),
            options.zstdLevel());
        if (Zstd.isError(n)) {
          throw new IOException("zstd compression failed: " + Zstd.getErrorName(n));
        }
        payload = compressed;
        payloadLength = (int) n;
      } else {
        payload = chunk.array();
        payloadLength = chunk.size();
      }
      long chunkOffset = position;
      record.clear();
      int m = record.beginRecord(Mcap.OP_CHUNK);
      record.u64(chunkMessages == 0 ? 0 : chunkStart);
      record.u64(chunkMessages == 0 ? 0 : chunkEnd);
      record.u64(chunk.size());
      record.u32(chunkCrc.getValue());
      record.string(options.compression());
      record.u64(payloadLength);
      int headerLength = record.size();
      record.putU64(m, headerLength - m - 8 + (long) payloadLength);
      // The header and the (possibly large) payload go out without copying the payload.
      write(record.array(), 0, headerLength);
      write(payload, 0, payloadLength);
      long chunkLength = headerLength + (long) payloadLength;
      record.clear();

      Map<Integer, Long> indexOffsets = new LinkedHashMap<>();
      long indexStart = position;
      for (Map.Entry<Integer, IndexEntries> e : chunkIndexEntries.entrySet()) {
        indexOffsets.put(e.getKey(), indexStart + record.size());
        int im = record.beginRecord(Mcap.OP_MESSAGE_INDEX);
        record.u16(e.getKey());
        IndexEntries entries = e.getValue();
        record.u32(16L * entries.n);
        for (int i = 0; i < 2 * entries.n; i++) {
          record.u64(entries.pairs[i]);
        }
        record.endRecord(im);
      }
      long indexLength = record.size();
      emitRecord();
      chunkIndexes.add(new McapChunkIndex(chunkMessages == 0 ? 0 : chunkStart, chunkMessages == 0 ? 0 : chunkEnd,
          chunkOffset, chunkLength, indexOffsets, indexLength, options.compression(), payloadLength, chunk.size()));
      committed = position;
      writtenMessages += chunkMessages;
      for (Map.Entry<Integer, IndexEntries> e : chunkIndexEntries.entrySet()) {
        channelCounts.merge(e.getKey(), (long) e.getValue().n, Long::sum);
      }
      if (chunkMessages > 0) {
        startTime = Math.min(startTime, chunkStart);
        endTime = Math.max(endTime, chunkEnd);
      }
      if (options.fsyncChunks()) {
        file.force(false);
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    } finally {
      chunk.clear();
      for (IndexEntries entries : chunkIndexEntries.values()) {
        entries.n = 0;
        spareIndexEntries.add(entries);
      }
      chunkIndexEntries.clear();
      chunkStart = Long.MAX_VALUE;
      chunkEnd = Long.MIN_VALUE;
      chunkMessages = 0;
    }
  }

  /**
   * Closes the open chunk, writes Data End, the summary, Summary Offsets, Footer and magic; fsyncs.
   * If that fails the file is {@link #salvage salvaged} before the exception is thrown.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    if (failure != null) {
      closed = true;
      file.close();
      return;
    }
    try {
      flushChunk();
      finish();
      file.force(true);
    } catch (IOException | RuntimeException e) {
      salvage();
      throw e;
    }
    closed = true;
    file.close();
  }

  /** Closes the file without a summary (what a crash leaves behind); for tests and error paths. */
  public void abandon() throws IOException {
    closed = true;
    file.close();
  }

  /**
   * After a failed write (disk full): cuts the file back to the end of the last complete record,
   * dropping a half-written chunk and the messages still in memory, and tries to finish it with a
   * summary of what is on disk, so it opens without recovery. Returns false when even that could not
   * be written; the file then ends at the last complete record, which {@link McapRecovery} reads.
   * Closes the file either way.
   */
  public boolean salvage() throws IOException {
    if (salvaged != null) {
      return salvaged;
    }
    if (closed) {
      return false;
    }
    salvaged = false;
    try {
      file.truncate(committed);
      position = committed;
      failure = null;
      chunk.clear();
      chunkMessages = 0;
      chunkIndexEntries.clear();
      record.clear();
      salvaging = true; // the running data CRC covers bytes that were cut: Data End says 0 ("not known")
      finish();
      file.force(true);
      salvaged = true;
      return true;
    } catch (IOException e) {
      try {
        file.truncate(committed);
      } catch (IOException ignored) {
        // the summary bytes past the last record are harmless to recovery either way
      }
      return false;
    } finally {
      closed = true;
      file.close();
    }
  }

  private void finish() throws IOException {
    int m = record.beginRecord(Mcap.OP_DATA_END);
    record.u32(salvaging ? 0 : dataCrc.getValue());
    record.endRecord(m);
    emitRecord();

    long summaryStart = position;
    CRC32 summaryCrc = new CRC32();
    List<long[]> groups = new ArrayList<>(); // opcode, start, length
    ByteSink s = new ByteSink(4096);
    for (McapSchema schema : schemas.values()) {
      writeSchema(s, schema);
    }
    groups.add(new long[] {Mcap.OP_SCHEMA, summaryStart, s.size()});
    int mark = s.size();
    for (McapChannel channel : channels.values()) {
      writeChannel(s, channel);
    }
    groups.add(new long[] {Mcap.OP_CHANNEL, summaryStart + mark, s.size() - mark});
    mark = s.size();
    for (McapChunkIndex ci : chunkIndexes) {
      int rm = s.beginRecord(Mcap.OP_CHUNK_INDEX);
      s.u64(ci.messageStartTime());
      s.u64(ci.messageEndTime());
      s.u64(ci.chunkStartOffset());
      s.u64(ci.chunkLength());
      s.u32(10L * ci.messageIndexOffsets().size());
      for (Map.Entry<Integer, Long> e : new TreeMap<>(ci.messageIndexOffsets()).entrySet()) {
        s.u16(e.getKey());
        s.u64(e.getValue());
      }
      s.u64(ci.messageIndexLength());
      s.string(ci.compression());
      s.u64(ci.compressedSize());
      s.u64(ci.uncompressedSize());
      s.endRecord(rm);
    }
    groups.add(new long[] {Mcap.OP_CHUNK_INDEX, summaryStart + mark, s.size() - mark});
    mark = s.size();
    for (int i = 0; i < metadataIndexes.size(); i++) {
      int rm = s.beginRecord(Mcap.OP_METADATA_INDEX);
      s.u64(metadataIndexes.get(i)[0]);
      s.u64(metadataIndexes.get(i)[1]);
      s.string(metadataNames.get(i));
      s.endRecord(rm);
    }
    groups.add(new long[] {Mcap.OP_METADATA_INDEX, summaryStart + mark, s.size() - mark});
    mark = s.size();
    int rm = s.beginRecord(Mcap.OP_STATISTICS);
    s.u64(writtenMessages);
    s.u16(schemas.size());
    s.u32(channels.size());
    s.u32(0);
    s.u32(metadataIndexes.size());
    s.u32(chunkIndexes.size());
    s.u64(writtenMessages == 0 ? 0 : startTime);
    s.u64(writtenMessages == 0 ? 0 : endTime);
    s.u32(10L * channelCounts.size());
    for (Map.Entry<Integer, Long> e : channelCounts.entrySet()) {
      s.u16(e.getKey());
      s.u64(e.getValue());
    }
    s.endRecord(rm);
    groups.add(new long[] {Mcap.OP_STATISTICS, summaryStart + mark, s.size() - mark});

    long summaryOffsetStart = summaryStart + s.size();
    for (long[] g : groups) {
      if (g[2] == 0) {
        continue;
      }
      int gm = s.beginRecord(Mcap.OP_SUMMARY_OFFSET);
      s.u8((int) g[0]);
      s.u64(g[1]);
      s.u64(g[2]);
      s.endRecord(gm);
    }
    s.u8(Mcap.OP_FOOTER);
    s.u64(20); // fixed length: the CRC below covers it
    s.u64(summaryStart);
    s.u64(summaryOffsetStart);
    summaryCrc.update(s.array(), 0, s.size());
    s.u32(summaryCrc.getValue());
    s.bytes(Mcap.MAGIC);
    write(s.array(), 0, s.size());
  }

  private static void writeSchema(ByteSink s, McapSchema schema) {
    int m = s.beginRecord(Mcap.OP_SCHEMA);
    s.u16(schema.id());
    s.string(schema.name());
    s.string(schema.encoding());
    s.u32(schema.data().length);
    s.bytes(schema.data());
    s.endRecord(m);
  }

  private static void writeChannel(ByteSink s, McapChannel c) {
    int m = s.beginRecord(Mcap.OP_CHANNEL);
    s.u16(c.id());
    s.u16(c.schemaId());
    s.string(c.topic());
    s.string(c.messageEncoding());
    s.stringMap(new TreeMap<>(c.metadata()));
    s.endRecord(m);
  }

  /** Writes the assembled data-section record(s) and clears the buffer. */
  private void emitRecord() throws IOException {
    try {
      write(record.array(), 0, record.size());
    } finally {
      record.clear();
    }
  }

  private void write(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw new IOException("cannot write " + path + ": an earlier write failed", failure);
    }
    try {
      ByteBuffer bb = ByteBuffer.wrap(b, off, len);
      while (bb.hasRemaining()) {
        file.write(bb);
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    dataCrc.update(b, off, len);
    position += len;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(path + " is closed");
    }
    if (failure != null) {
      throw new IOException("cannot write " + path + ": an earlier write failed (" + failure.getMessage() + ")", failure);
    }
  }
}
