package io.optimus.motion.record.mcap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every byte of an MCAP file: record framing, chunk CRCs and decompression, that messages name
 * known channels, the Data End CRC, the summary (against what the data section really holds), the
 * summary CRC and the footer. Reports problems instead of stopping at the first: a bad chunk is named
 * by its number and byte offset and the next one is checked; after broken framing it resumes at the
 * next plausible record ({@link McapScanner#resync}).
 */
public final class McapValidator {
  private McapValidator() {}

  public static McapValidation validate(Path path) throws IOException {
    List<String> problems = new ArrayList<>();
    long messages = 0;
    long chunks = 0;
    boolean complete = false;
    long validBytes = 0;
    FileChannel ch = McapReader.openChannel(path);
    try (ch) {
      McapScanner scan;
      try {
        scan = new McapScanner(path, ch);
      } catch (McapException e) {
        problems.add(e.getMessage());
        return new McapValidation(path, false, 0, 0, 0, problems);
      }
      Set<Integer> channels = new HashSet<>();
      Set<Integer> schemas = new HashSet<>();
      Map<Integer, Long> counts = new HashMap<>();
      boolean first = true;
      boolean inSummary = false;
      boolean damaged = false; // a chunk or the framing was bad: summary counts will not match
      long summaryChunkIndexes = 0;
      McapStatistics stats = null;
      try {
        while (true) {
          if (scan.atEnd()) {
            problems.add(path + " at byte " + scan.position() + ": file ends without a footer"
                + " (unfinished recording; run 'optimus dataset recover')");
            break;
          }
          long crcBefore = scan.crcSoFar();
          McapScanner.Rec r;
          try {
            r = scan.next();
          } catch (McapException e) {
            if (inSummary) {
              throw e;
            }
            damaged = true;
            long resumed = scan.resync(e.offset() + 1);
            if (resumed < 0) {
              problems.add(path + " at byte " + e.offset() + ": " + e.problem() + "; no valid record follows");
              break;
            }
            problems.add(path + " at byte " + e.offset() + ": " + e.problem() + "; framing resumes at byte " + resumed
                + " (" + (resumed - e.offset()) + " bytes skipped)");
            scan.seek(resumed);
            continue;
          }
          ByteSource in = scan.source(r);
          if (first && r.opcode() != Mcap.OP_HEADER) {
            problems.add(path + " at byte " + r.offset() + ": first record is " + Mcap.opcodeName(r.opcode())
                + ", not Header");
          }
          first = false;
          if (r.opcode() == Mcap.OP_FOOTER) {
            in.u64("summary start");
            in.u64("summary offset start");
            if (!scan.atTrailingMagic()) {
              problems.add(path + " at byte " + scan.position() + ": footer is not followed by exactly the trailing magic");
            }
            complete = inSummary;
            if (!inSummary) {
              problems.add(path + " at byte " + r.offset() + ": footer without a Data End record");
            }
            break;
          }
          if (inSummary) {
            switch (r.opcode()) {
              case Mcap.OP_CHUNK_INDEX -> summaryChunkIndexes++;
              case Mcap.OP_STATISTICS -> stats = new McapStatistics(in.u64("message count"), in.u16("schemas"),
                  in.u32("channels"), in.u32("attachments"), in.u32("metadata"), in.u32("chunks"), in.u64("start"),
                  in.u64("end"), in.u16u64Map("channel message counts"));
              default -> { }
            }
            continue;
          }
          switch (r.opcode()) {
            case Mcap.OP_SCHEMA -> schemas.add(McapRecords.schema(in).id());
            case Mcap.OP_CHANNEL -> {
              McapChannel c = McapRecords.channel(in);
              if (c.schemaId() != 0 && !schemas.contains(c.schemaId())) {
                problems.add(path + " at byte " + r.offset() + ": channel " + c.topic() + " names unknown schema "
                    + c.schemaId());
              }
              channels.add(c.id());
            }
            case Mcap.OP_MESSAGE -> {
              McapMessage m = McapRecords.message(in);
              messages++;
              counts.merge(m.channelId(), 1L, Long::sum);
              if (!channels.contains(m.channelId())) {
                problems.add(path + " at byte " + r.offset() + ": message on unknown channel " + m.channelId());
              }
            }
            case Mcap.OP_CHUNK -> {
              long chunkNumber = chunks++;
              try {
                McapRecords.ChunkData data = McapRecords.chunk(path, in, r.offset());
                for (McapRecords.Inner inner : McapRecords.innerRecords(path, data)) {
                  ByteSource c = McapRecords.contentOf(path, data, inner);
                  switch (inner.opcode()) {
                    case Mcap.OP_SCHEMA -> schemas.add(McapRecords.schema(c).id());
                    case Mcap.OP_CHANNEL -> channels.add(McapRecords.channel(c).id());
                    case Mcap.OP_MESSAGE -> {
                      McapMessage m = McapRecords.message(c);
                      messages++;
                      counts.merge(m.channelId(), 1L, Long::sum);
                      if (!channels.contains(m.channelId())) {
                        problems.add(path + " at byte " + r.offset() + ": chunk holds a message on unknown channel "
                            + m.channelId());
                      }
                      if (m.logTime() < data.messageStartTime() || m.logTime() > data.messageEndTime()) {
                        problems.add(path + " at byte " + r.offset() + ": message log time outside the chunk's range");
                      }
                    }
                    default -> { }
                  }
                }
              } catch (McapException e) {
                damaged = true;
                problems.add(path + ": chunk " + chunkNumber + " at byte " + r.offset() + ": " + e.problem()
                    + (e.offset() == r.offset() ? "" : " (at byte " + e.offset() + ")"));
              }
            }
            case Mcap.OP_DATA_END -> {
              long stored = in.u32("data section crc");
              if (stored != 0 && scan.crcValid() && stored != crcBefore) {
                problems.add(String.format("%s at byte %d: data section CRC mismatch: stored %08x, computed %08x",
                    path, r.offset(), stored, crcBefore));
              }
              inSummary = true;
              validBytes = scan.position();
            }
            default -> { }
          }
          if (!inSummary) {
            validBytes = scan.position();
          }
        }
      } catch (McapException e) {
        problems.add(e.getMessage());
      }
      if (complete) {
        if (!damaged && summaryChunkIndexes != chunks) {
          problems.add(path + ": summary indexes " + summaryChunkIndexes + " chunks, the data section holds " + chunks);
        }
        if (!damaged && stats != null && stats.messageCount() != messages) {
          problems.add(path + ": summary statistics count " + stats.messageCount() + " messages, the data section holds "
              + messages);
        }
        try (McapReader reader = McapReader.open(path)) {
          reader.chunkIndexes(); // opening checks the summary CRC and structure
        } catch (McapException e) {
          problems.add(e.getMessage());
        }
      }
    }
    return new McapValidation(path, complete, messages, chunks, validBytes, problems);
  }
}
