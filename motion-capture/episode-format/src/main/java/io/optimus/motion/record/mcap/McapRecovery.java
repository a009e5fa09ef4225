package io.optimus.motion.record.mcap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a valid, indexed MCAP file from an unfinished or damaged one (writer killed, disk full,
 * file cut, flipped bits): reads records from the start and rewrites schemas, channels, metadata and
 * every message of every chunk that still decodes, with a fresh summary. Chunks are independent, so a
 * chunk that fails its CRC or does not decompress is skipped and the next one is read; after broken
 * framing (a damaged length, garbage) reading resumes at the next plausible record
 * ({@link McapScanner#resync}). Reading stops at Data End or where nothing plausible follows. A
 * "recovery" Metadata record says what was kept, what was skipped and where reading stopped.
 */
public final class McapRecovery {
  private McapRecovery() {}

  /** What recovery kept and why it stopped. */
  public record Report(Path source, Path target, long sourceBytes, long recoveredBytes, long messages, long chunks,
      long stoppedAt, String stopReason, boolean wasComplete, List<String> skipped) {
    public Report {
      skipped = List.copyOf(skipped);
    }
  }

  /** Recovers {@code source} into {@code target} (which must not exist). */
  public static Report recover(Path source, Path target, McapWriter.Options options) throws IOException {
    FileChannel ch = McapReader.openChannel(source);
    List<String> skipped = new ArrayList<>();
    Map<Integer, McapSchema> schemas = new LinkedHashMap<>();
    Map<Integer, McapChannel> channels = new LinkedHashMap<>();
    List<Object> items = new ArrayList<>(); // McapSchema, McapChannel, McapMetadata or List<McapMessage>, in file order
    long messages = 0;
    long chunks = 0;
    long chunksSeen = 0;
    long stoppedAt;
    long recoveredBytes;
    String reason;
    boolean complete = false;
    long size;
    String library = options.library();
    try (ch) {
      McapScanner scan = new McapScanner(source, ch); // throws if not MCAP at all
      size = scan.size();
      recoveredBytes = scan.position();
      while (true) {
        if (scan.atEnd()) {
          reason = "end of file (no Data End: the writer did not finish)";
          break;
        }
        long at = scan.position();
        McapScanner.Rec r;
        try {
          r = scan.next();
        } catch (McapException e) {
          long resumed = scan.resync(at + 1);
          if (resumed < 0) {
            reason = e.getMessage();
            break;
          }
          skipped.add("bytes " + at + "-" + resumed + ": " + e.problem());
          scan.seek(resumed);
          continue;
        }
        try {
          ByteSource in = scan.source(r);
          switch (r.opcode()) {
            case Mcap.OP_HEADER -> {
              in.string("profile");
              String lib = in.string("library");
              if (!lib.isEmpty()) {
                library = lib;
              }
            }
            case Mcap.OP_SCHEMA -> {
              McapSchema s = McapRecords.schema(in);
              if (s.id() != 0 && schemas.putIfAbsent(s.id(), s) == null) {
                items.add(s);
              }
            }
            case Mcap.OP_CHANNEL -> {
              McapChannel c = McapRecords.channel(in);
              if (channels.putIfAbsent(c.id(), c) == null) {
                items.add(c);
              }
            }
            case Mcap.OP_MESSAGE -> {
              McapMessage m = McapRecords.message(in);
              if (!channels.containsKey(m.channelId())) {
                throw new McapException(source, at, "message on unknown channel " + m.channelId());
              }
              items.add(List.of(m));
              messages++;
            }
            case Mcap.OP_METADATA -> items.add(McapRecords.metadata(in));
            case Mcap.OP_CHUNK -> {
              long chunkNumber = chunksSeen++;
              List<McapMessage> kept = new ArrayList<>();
              try {
                McapRecords.ChunkData data = McapRecords.chunk(source, in, at);
                for (McapRecords.Inner inner : McapRecords.innerRecords(source, data)) {
                  ByteSource c = McapRecords.contentOf(source, data, inner);
                  switch (inner.opcode()) {
                    case Mcap.OP_SCHEMA -> {
                      McapSchema s = McapRecords.schema(c);
                      if (s.id() != 0 && schemas.putIfAbsent(s.id(), s) == null) {
                        items.add(s);
                      }
                    }
                    case Mcap.OP_CHANNEL -> {
                      McapChannel cc = McapRecords.channel(c);
                      if (channels.putIfAbsent(cc.id(), cc) == null) {
                        items.add(cc);
                      }
                    }
                    case Mcap.OP_MESSAGE -> {
                      McapMessage m = McapRecords.message(c);
                      if (!channels.containsKey(m.channelId())) {
                        throw new McapException(source, at, "chunk holds a message on unknown channel " + m.channelId());
                      }
                      kept.add(m);
                    }
                    default -> { }
                  }
                }
              } catch (McapException bad) { // chunks are independent: skip this one, keep reading
                skipped.add("chunk " + chunkNumber + " at byte " + at + ": " + bad.problem());
                continue;
              }
              items.add(kept);
              messages += kept.size();
              chunks++;
            }
            case Mcap.OP_DATA_END -> complete = true;
            default -> { } // message indexes are rebuilt; unknown records are skipped
          }
        } catch (McapException e) { // a damaged record with intact framing: skip it, keep reading
          skipped.add(Mcap.opcodeName(r.opcode()) + " at byte " + at + ": " + e.problem());
        }
        recoveredBytes = scan.position();
        if (complete) {
          reason = "the file is complete (Data End found); rewritten with a fresh summary";
          break;
        }
      }
      stoppedAt = recoveredBytes;
    }
    return write(source, target, options, library, items, schemas, channels, size, recoveredBytes, messages, chunks,
        stoppedAt, reason, complete, skipped);
  }

  private static Report write(Path source, Path target, McapWriter.Options options, String library, List<Object> items,
      Map<Integer, McapSchema> schemas, Map<Integer, McapChannel> channels, long size, long recoveredBytes,
      long messages, long chunks, long stoppedAt, String reason, boolean complete, List<String> skipped)
      throws IOException {
    Map<Integer, Integer> schemaIds = new HashMap<>();
    Map<Integer, Integer> channelIds = new HashMap<>();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (McapWriter w = McapWriter.create(tmp, options.withLibrary(library))) {
      for (Object item : items) {
        if (item instanceof McapSchema s) {
          schemaIds.put(s.id(), w.addSchema(s.name(), s.encoding(), s.data()));
        } else if (item instanceof McapChannel c) {
          int schema = c.schemaId() == 0 ? 0 : schemaIds.getOrDefault(c.schemaId(), 0);
          channelIds.put(c.id(), w.addChannel(schema, c.topic(), c.messageEncoding(), c.metadata()));
        } else if (item instanceof McapMetadata m) {
          w.addMetadata(m.name(), m.values());
        } else if (item instanceof List<?> list) {
          for (Object o : list) {
            McapMessage m = (McapMessage) o;
            w.addMessage(channelIds.get(m.channelId()), m.sequence(), m.logTime(), m.publishTime(), m.data());
          }
        }
      }
      Map<String, String> info = new TreeMap<>();
      info.put("source_bytes", Long.toString(size));
      info.put("recovered_bytes", Long.toString(recoveredBytes));
      info.put("stopped_at_byte", Long.toString(stoppedAt));
      info.put("reason", reason);
      info.put("messages", Long.toString(messages));
      info.put("chunks", Long.toString(chunks));
      info.put("skipped", skipped.isEmpty() ? "" : String.join("; ", skipped.subList(0, Math.min(100, skipped.size()))));
      w.addMetadata("recovery", info);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target);
    return new Report(source, target, size, recoveredBytes, messages, chunks, stoppedAt, reason, complete, skipped);
  }
}
