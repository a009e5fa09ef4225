package io.optimus.motion.record.mcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import java.util.zip.CRC32;

/**
 * Reads an indexed MCAP file through its summary: schemas, channels, metadata, statistics, and messages
 * in log-time order, loading only the chunks that overlap the requested time range (random access via
 * the Chunk Index records). A file without a footer or summary (an unfinished recording) is refused
 * with a message pointing at {@code optimus dataset recover}. Chunk CRCs are checked on every load.
 * Not thread-safe; open one reader per thread.
 */
public final class McapReader implements Closeable {
  /** Largest summary section read into memory (a 10 GB recording in 4 MiB chunks has about 250 KB). */
  static final long MAX_SUMMARY_BYTES = 256L << 20;
  private final Path path;
  private final FileChannel file;
  private final long size;
  private final String profile;
  private final String library;
  private final long dataSectionCrc;
  private final long dataEndOffset;
  private final Map<Integer, McapSchema> schemas = new LinkedHashMap<>();
  private final Map<Integer, McapChannel> channels = new LinkedHashMap<>();
  private final List<McapChunkIndex> chunkIndexes = new ArrayList<>();
  private final List<long[]> metadataIndexes = new ArrayList<>();
  private McapStatistics statistics;
  /** The last few decompressed (and CRC-checked) chunks: random access by time tends to hit the same ones. */
  private final Map<Long, McapRecords.ChunkData> chunkCache = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, McapRecords.ChunkData> eldest) {
      return size() > 4;
    }
  };

  private McapReader(Path path, FileChannel file) throws IOException {
    this.path = path;
    this.file = file;
    this.size = file.size();
    long minimum = 8 + Mcap.RECORD_PREFIX + 8 + Mcap.FOOTER_AND_MAGIC;
    if (size < 8 || !Arrays.equals(read(0, 8), Mcap.MAGIC)) {
      throw new McapException(path, 0, "not an MCAP file (missing magic bytes 89 4D 43 41 50 30 0D 0A)");
    }
    if (size < minimum) {
      throw new McapException(path, size, "file of " + size + " bytes is too small to be a finished MCAP file"
          + " (unfinished recording? run 'optimus dataset recover " + path + "')");
    }
    ByteSource header = recordAt(8, Mcap.OP_HEADER, "Header");
    profile = header.string("header profile");
    library = header.string("header library");

    long footerOffset = size - Mcap.FOOTER_AND_MAGIC;
    byte[] tail = read(footerOffset, Mcap.FOOTER_AND_MAGIC);
    if (!Arrays.equals(Arrays.copyOfRange(tail, tail.length - 8, tail.length), Mcap.MAGIC)
        || (tail[0] & 0xff) != Mcap.OP_FOOTER) {
      throw new McapException(path, footerOffset, "no footer: the recording was not finished (writer killed or"
          + " file truncated); run 'optimus dataset recover " + path + "'");
    }
    ByteSource footer = new ByteSource(path, tail, Mcap.RECORD_PREFIX, tail.length - 8,
        footerOffset + Mcap.RECORD_PREFIX);
    long summaryStart = footer.u64("footer summary start");
    footer.u64("footer summary offset start");
    long summaryCrc = footer.u32("footer summary crc");
    if (summaryStart == 0) {
      throw new McapException(path, footerOffset, "the file has no summary section (not indexed);"
          + " run 'optimus dataset recover " + path + "' to index it");
    }
    if (summaryStart < 8 + 13 || summaryStart > footerOffset) {
      throw new McapException(path, footerOffset, "footer summary start " + summaryStart + " is outside the file");
    }
    if (footerOffset - summaryStart > MAX_SUMMARY_BYTES) { // a real summary is ~100 bytes per chunk
      throw new McapException(path, footerOffset, "footer puts the summary at byte " + summaryStart + ": "
          + (footerOffset - summaryStart) + " bytes of summary is implausible (corrupt footer); run 'optimus dataset"
          + " recover " + path + "'");
    }
    byte[] summary = read(summaryStart, footerOffset - summaryStart);
    if (summaryCrc != 0) {
      CRC32 c = new CRC32();
      c.update(summary);
      c.update(tail, 0, Mcap.RECORD_PREFIX + 16);
      if (c.getValue() != summaryCrc) {
        throw new McapException(path, summaryStart, String.format(
            "summary CRC mismatch: stored %08x, computed %08x (corrupt summary)", summaryCrc, c.getValue()));
      }
    }
    dataEndOffset = summaryStart - 13;
    ByteSource dataEnd = recordAt(dataEndOffset, Mcap.OP_DATA_END, "DataEnd");
    dataSectionCrc = dataEnd.u32("data end crc");
    parseSummary(summary, summaryStart);
    chunkIndexes.sort(Comparator.comparingLong(McapChunkIndex::messageStartTime)
        .thenComparingLong(McapChunkIndex::chunkStartOffset));
  }

  /** Opens {@code path}; throws {@link McapException} (an InputException) naming the problem and offset. */
  public static McapReader open(Path path) throws IOException {
    FileChannel ch = openChannel(path);
    try {
      return new McapReader(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Opens a regular file for reading; a missing or unreadable file, a directory, a device or a FIFO
   * (which would block) is refused with a one-line {@link McapException}.
   */
  static FileChannel openChannel(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      String why = Files.isDirectory(path) ? "is a directory, not an MCAP file"
          : Files.exists(path) ? "not a regular file (a device, FIFO or socket)"
          : Files.notExists(path) ? "no such file" : "permission denied";
      throw new McapException(path, -1, why);
    }
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new McapException(path, -1, "no such file");
    } catch (AccessDeniedException e) {
      throw new McapException(path, -1, "permission denied");
    }
  }

  private void parseSummary(byte[] summary, long base) {
    ByteSource in = new ByteSource(path, summary, 0, summary.length, base);
    while (in.remaining() > 0) {
      long at = in.fileOffset();
      int op = in.u8("summary record opcode");
      long len = in.u64("summary record length");
      if (len > in.remaining()) {
        throw new McapException(path, at, "summary " + Mcap.opcodeName(op) + " record overruns the summary");
      }
      ByteSource r = new ByteSource(path, summary, in.position(), in.position() + (int) len, in.fileOffset());
      in.skip(len, "summary record");
      switch (op) {
        case Mcap.OP_SCHEMA -> {
          McapSchema s = McapRecords.schema(r);
          schemas.put(s.id(), s);
        }
        case Mcap.OP_CHANNEL -> {
          McapChannel c = McapRecords.channel(r);
          channels.put(c.id(), c);
        }
        case Mcap.OP_CHUNK_INDEX -> chunkIndexes.add(new McapChunkIndex(r.u64("start"), r.u64("end"),
            r.u64("chunk offset"), r.u64("chunk length"), r.u16u64Map("message index offsets"),
            r.u64("message index length"), r.string("compression"), r.u64("compressed size"),
            r.u64("uncompressed size")));
        case Mcap.OP_METADATA_INDEX -> {
          long offset = r.u64("metadata offset");
          long length = r.u64("metadata length");
          metadataIndexes.add(new long[] {offset, length});
        }
        case Mcap.OP_STATISTICS -> statistics = new McapStatistics(r.u64("message count"), r.u16("schema count"),
            r.u32("channel count"), r.u32("attachment count"), r.u32("metadata count"), r.u32("chunk count"),
            r.u64("start"), r.u64("end"), r.u16u64Map("channel message counts"));
        default -> { } // Summary Offset, Attachment Index, future records: not needed
      }
    }
  }

  public Path path() {
    return path;
  }

  public long size() {
    return size;
  }

  public String profile() {
    return profile;
  }

  public String library() {
    return library;
  }

  /** CRC32 of the data section stored in Data End (0 = not available). */
  public long dataSectionCrc() {
    return dataSectionCrc;
  }

  public Map<Integer, McapSchema> schemas() {
    return Collections.unmodifiableMap(schemas);
  }

  public Map<Integer, McapChannel> channels() {
    return Collections.unmodifiableMap(channels);
  }

  /** Chunk indexes sorted by message start time. */
  public List<McapChunkIndex> chunkIndexes() {
    return Collections.unmodifiableList(chunkIndexes);
  }

  /** Statistics, or null if the file has none. */
  public McapStatistics statistics() {
    return statistics;
  }

  public McapChannel channel(String topic) {
    for (McapChannel c : channels.values()) {
      if (c.topic().equals(topic)) {
        return c;
      }
    }
    return null;
  }

  /** All Metadata records, in file order. */
  public List<McapMetadata> metadata() throws IOException {
    List<McapMetadata> out = new ArrayList<>();
    for (long[] idx : metadataIndexes) {
      ByteSource r = recordAt(idx[0], Mcap.OP_METADATA, "Metadata");
      out.add(McapRecords.metadata(r));
    }
    return out;
  }

  /** Every message in log-time order. */
  public Iterator<McapMessage> messages() {
    return messages(Long.MIN_VALUE, Long.MAX_VALUE, id -> true);
  }

  /**
   * Messages with {@code from <= logTime < to} on the accepted channels, in log-time order (ties in
   * file order). Only chunks overlapping the range are read.
   */
  public Iterator<McapMessage> messages(long from, long to, IntPredicate channelFilter) {
    return new MergedMessages(from, to, channelFilter);
  }

  /** The last message on {@code channelId} with logTime <= {@code time}, or null. Uses the chunk index. */
  public McapMessage lastAtOrBefore(int channelId, long time) throws IOException {
    List<McapChunkIndex> candidates = new ArrayList<>();
    for (McapChunkIndex ci : chunkIndexes) {
      if (ci.messageStartTime() <= time
          && (ci.messageIndexOffsets().isEmpty() || ci.messageIndexOffsets().containsKey(channelId))) {
        candidates.add(ci);
      }
    }
    McapMessage best = null;
    for (int i = candidates.size() - 1; i >= 0; i--) {
      McapChunkIndex ci = candidates.get(i);
      if (best != null && ci.messageEndTime() < best.logTime()) {
        break;
      }
      for (McapMessage m : loadChunk(ci, id -> id == channelId)) {
        if (m.logTime() <= time && (best == null || m.logTime() >= best.logTime())) {
          best = m;
        }
      }
    }
    return best;
  }

  /** Reads, checks (CRC) and decodes the messages of one chunk that pass the filter, in file order. */
  public List<McapMessage> loadChunk(McapChunkIndex ci, java.util.function.Predicate<Integer> channelFilter)
      throws IOException {
    McapRecords.ChunkData data = chunkCache.get(ci.chunkStartOffset());
    if (data == null) {
      ByteSource r = recordAt(ci.chunkStartOffset(), Mcap.OP_CHUNK, "Chunk");
      data = McapRecords.chunk(path, r, ci.chunkStartOffset());
      chunkCache.put(ci.chunkStartOffset(), data);
    }
    List<McapMessage> out = new ArrayList<>();
    for (McapRecords.Inner inner : McapRecords.innerRecords(path, data)) {
      if (inner.opcode() != Mcap.OP_MESSAGE) {
        continue;
      }
      ByteSource m = McapRecords.contentOf(path, data, inner);
      int channel = m.u16("message channel id");
      if (!channels.containsKey(channel)) {
        throw new McapException(path, ci.chunkStartOffset(), "message on unknown channel " + channel);
      }
      if (channelFilter.test(channel)) { // only wanted messages are copied out of the chunk
        out.add(McapRecords.message(McapRecords.contentOf(path, data, inner)));
      }
    }
    return out;
  }

  private ByteSource recordAt(long offset, int expectedOp, String name) throws IOException {
    if (offset < 0 || offset + Mcap.RECORD_PREFIX > size) {
      throw new McapException(path, offset, name + " record offset is outside the file");
    }
    byte[] prefix = read(offset, Mcap.RECORD_PREFIX);
    if ((prefix[0] & 0xff) != expectedOp) {
      throw new McapException(path, offset, "expected a " + name + " record, found " + Mcap.opcodeName(prefix[0] & 0xff));
    }
    long len = 0;
    for (int i = 0; i < 8; i++) {
      len |= (long) (prefix[1 + i] & 0xff) << (8 * i);
    }
    if (len < 0 || len > size - offset - Mcap.RECORD_PREFIX || len > Integer.MAX_VALUE - 16) {
      throw new McapException(path, offset, name + " record length " + Long.toUnsignedString(len) + " overruns the file");
    }
    byte[] content = read(offset + Mcap.RECORD_PREFIX, len);
    return new ByteSource(path, content, 0, content.length, offset + Mcap.RECORD_PREFIX);
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

  @Override
  public void close() throws IOException {
    file.close();
  }

  /** K-way merge over chunks that may overlap in time: a chunk is loaded once it could hold the next message. */
  private final class MergedMessages implements Iterator<McapMessage> {
    private record Entry(McapMessage message, long order) {}

    private final long from;
    private final long to;
    private final IntPredicate filter;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
        Comparator.comparingLong((Entry e) -> e.message().logTime()).thenComparingLong(Entry::order));
    private int nextChunk;
    private long order;

    MergedMessages(long from, long to, IntPredicate filter) {
      this.from = from;
      this.to = to;
      this.filter = filter;
    }

    private void fill() {
      while (nextChunk < chunkIndexes.size()) {
        McapChunkIndex ci = chunkIndexes.get(nextChunk);
        if (ci.messageStartTime() >= to) {
          nextChunk = chunkIndexes.size();
          break;
        }
        if (!queue.isEmpty() && queue.peek().message().logTime() < ci.messageStartTime()) {
          break;
        }
        nextChunk++;
        if (ci.messageEndTime() < from || !mayHold(ci)) {
          continue;
        }
        try {
          for (McapMessage m : loadChunk(ci, filter::test)) {
            if (m.logTime() >= from && m.logTime() < to) {
              queue.add(new Entry(m, order++));
            }
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }

    private boolean mayHold(McapChunkIndex ci) {
      if (ci.messageIndexOffsets().isEmpty()) {
        return true;
      }
      for (int id : ci.messageIndexOffsets().keySet()) {
        if (filter.test(id)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean hasNext() {
      fill();
      return !queue.isEmpty();
    }

    @Override
    public McapMessage next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return queue.poll().message();
    }
  }
}
