package io.optimus.motion.clips;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clip queue of a dataset: {@code clips.jsonl} beside its episodes, append-only JSON lines, each
 * appended under an exclusive file lock and forced to disk (fsync) before {@link #add} returns.
 * A line is a clip ({@code "op":"clip"}) or a review change ({@code "op":"set"}: state and/or label).
 *
 * <p>Crash safety: a clip is kept once {@link #add} returned. A process killed mid-write leaves at most
 * a torn last line (no newline yet): readers ignore it, the next writer cuts it off before appending.
 * Clip ids are stable ({@link Clip#idOf}), and adding an id already in the file does nothing, so a
 * trigger that fires again after a restart adds no duplicate. Any other bad line is an error naming
 * the file and the line.
 */
public final class ClipQueue {
  public static final String FILE = "clips.jsonl";
  /** Bounds what a reader loads: a queue is small (a clip is ~300 bytes). */
  public static final long MAX_BYTES = 64L << 20;
  public static final int MAX_LINE = 16 << 10;
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path file;

  private ClipQueue(Path file) {
    this.file = file;
  }

  /** The queue of dataset {@code dir} ({@code dir/clips.jsonl}; created on the first clip). */
  public static ClipQueue in(Path dir) {
    return new ClipQueue(dir.resolve(FILE));
  }

  public Path file() {
    return file;
  }

  /**
   * Adds {@code c} unless a clip with its id is already queued; durable when it returns. Returns true
   * when it was added.
   */
  public boolean add(Clip c) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
        Contents now = parse(readLocked(ch));
        if (now.clips.containsKey(c.id())) {
          return false;
        }
        appendLocked(ch, now.committedBytes, clipLine(c));
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write clip queue " + file, e);
    }
  }

  /** All clips in order of arrival with their review state; empty when the file does not exist. */
  public List<Clip> list() {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InputException(file + ": " + Files.size(file) + " bytes, more than a clip queue may hold ("
            + MAX_BYTES + ")");
      }
      return List.copyOf(parse(Files.readAllBytes(file)).clips.values());
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read clip queue " + file, e);
    }
  }

  /** Sets the review state of clips {@code ids} (all must exist, or nothing changes). */
  public List<Clip> setState(List<String> ids, ClipState s) {
    return change(ids, s, null);
  }

  /** Relabels clip {@code id}. */
  public Clip relabel(String id, String label) {
    if (label == null || label.isBlank() || label.length() > 200 || label.contains("\n")) {
      throw new InputException("label '" + label + "' is invalid: use 1-200 characters on one line");
    }
    return change(List.of(id), null, label).get(0);
  }

  private List<Clip> change(List<String> ids, ClipState s, String label) {
    if (ids.isEmpty()) {
      throw new InputException("name at least one clip id");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      Contents now = parse(readLocked(ch));
      StringBuilder lines = new StringBuilder();
      List<Clip> changed = new ArrayList<>();
      for (String id : ids) {
        Clip c = now.clips.get(id);
        if (c == null) {
          throw new InputException("no clip '" + id + "' in " + file);
        }
        ObjectNode n = Json.MAPPER.createObjectNode().put("op", "set").put("id", id);
        if (s != null) {
          n.put("state", s.id());
          c = c.withState(s);
        }
        if (label != null) {
          n.put("label", label);
          c = c.withLabel(label);
        }
        lines.append(compact(n));
        changed.add(c);
      }
      appendLocked(ch, now.committedBytes, lines.toString());
      return changed;
    } catch (NoSuchFileException e) {
      throw new InputException("no clip queue at " + file + " (no trigger has fired for this dataset)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write clip queue " + file, e);
    }
  }

  private byte[] readLocked(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size > MAX_BYTES) {
      throw new InputException(file + ": " + size + " bytes, more than a clip queue may hold (" + MAX_BYTES + ")");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size);
    ch.position(0);
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // fill
    }
    return b.array();
  }

  /** Cuts a torn last line off, appends {@code lines} (each ending in a newline) and forces them to disk. */
  private static void appendLocked(FileChannel ch, long committed, String lines) throws IOException {
    if (ch.size() != committed) {
      ch.truncate(committed);
    }
    ByteBuffer b = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
    ch.position(committed);
    while (b.hasRemaining()) {
      ch.write(b);
    }
    ch.force(true);
  }

  private static String clipLine(Clip c) {
    ObjectNode n = Json.MAPPER.createObjectNode().put("op", "clip").put("id", c.id()).put("robot_id", c.robotId())
        .put("episode_id", c.episodeId()).put("trigger", c.trigger().id()).put("start_ns", c.startNs())
        .put("end_ns", c.endNs()).put("score", c.score()).put("label", c.label()).put("detail", c.detail());
    return compact(n);
  }

  private static String compact(JsonNode n) {
    try {
      return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a file holds: clips by id (arrival order), and the length up to the last complete line. */
  private record Contents(Map<String, Clip> clips, long committedBytes) {}

  private Contents parse(byte[] data) {
    Map<String, Clip> clips = new LinkedHashMap<>();
    int start = 0;
    int line = 0;
    while (true) {
      int nl = indexOf(data, (byte) '\n', start);
      if (nl < 0) {
        break; // bytes after the last newline: a torn write, never acknowledged; ignored
      }
      line++;
      if (nl - start > MAX_LINE) {
        throw bad(line, (nl - start) + " bytes, longer than a clip line may be (" + MAX_LINE + ")");
      }
      String text = new String(data, start, nl - start, StandardCharsets.UTF_8);
      start = nl + 1;
      if (text.isBlank()) {
        continue;
      }
      apply(clips, parseLine(text, line), line);
    }
    return new Contents(clips, start);
  }

  private JsonNode parseLine(String text, int line) {
    try {
      JsonNode n = READER.readTree(text);
      if (n == null || !n.isObject()) {
        throw bad(line, "not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw bad(line, "not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private void apply(Map<String, Clip> clips, JsonNode n, int line) {
    String op = text(n, "op", line);
    String id = text(n, "id", line);
    switch (op) {
      case "clip" -> {
        ClipTrigger t = ClipTrigger.parse(text(n, "trigger", line));
        if (t == null) {
          throw bad(line, "trigger '" + n.get("trigger").asText() + "' is unknown");
        }
        long start = integer(n, "start_ns", line);
        long end = integer(n, "end_ns", line);
        if (end < start) {
          throw bad(line, "end_ns " + end + " is before start_ns " + start);
        }
        JsonNode score = n.get("score");
        if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
          throw bad(line, "score " + score + " is not a finite number");
        }
        // the first line of an id wins: a clip written again after a restart is the same clip
        clips.putIfAbsent(id, new Clip(id, optional(n, "robot_id", line), text(n, "episode_id", line), t, start, end,
            score.asDouble(), ClipState.PENDING, text(n, "label", line), optional(n, "detail", line)));
      }
      case "set" -> {
        Clip c = clips.get(id);
        if (c == null) {
          throw bad(line, "changes clip '" + id + "', which no earlier line adds");
        }
        if (n.has("state")) {
          ClipState s = ClipState.parse(n.get("state").asText());
          if (s == null) {
            throw bad(line, "state '" + n.get("state").asText() + "' is unknown");
          }
          c = c.withState(s);
        }
        if (n.has("label")) {
          c = c.withLabel(text(n, "label", line));
        }
        clips.put(id, c);
      }
      default -> throw bad(line, "op '" + op + "' is unknown (clip or set)");
    }
  }

  private String text(JsonNode n, String field, int line) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw bad(line, "'" + field + "' is missing or not a non-empty string");
    }
    return v.asText();
  }

  private String optional(JsonNode n, String field, int line) {
    JsonNode v = n.get(field);
    if (v != null && !v.isTextual()) {
      throw bad(line, "'" + field + "' is not a string");
    }
    return v == null ? "" : v.asText();
  }

  private long integer(JsonNode n, String field, int line) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw bad(line, "'" + field + "' is missing or not a 64-bit integer");
    }
    return v.asLong();
  }

  private InputException bad(int line, String what) {
    return new InputException(file + " line " + line + ": " + what);
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
