package io.optimus.motion.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.mcap.McapChannel;
import io.optimus.motion.record.mcap.McapException;
import io.optimus.motion.record.mcap.McapMessage;
import io.optimus.motion.record.mcap.McapValidation;
import io.optimus.motion.record.mcap.McapValidator;
import io.optimus.proto.v1.ChannelStats;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.JointState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset: a directory of episode files ({@code *.mcap}) plus an index ({@code dataset.json}) that
 * caches each episode's description (counts, duration, outcome, frame-rate statistics, gaps) keyed by
 * file size and modification time. Opening refreshes stale rows and rewrites the index when it can
 * (a read-only directory still opens). Random access: {@link #openEpisode} then
 * {@link EpisodeReader#stateAt} / {@link EpisodeReader#frames(long, long, java.util.Collection)}.
 */
public final class Dataset {
  public static final String INDEX_FILE = "dataset.json";
  public static final String EXTENSION = ".mcap";
  private static final Logger LOG = LoggerFactory.getLogger(Dataset.class);

  private final Path dir;
  private final List<EpisodeEntry> episodes;
  private final List<String> indexProblems;

  private Dataset(Path dir, List<EpisodeEntry> episodes, List<String> indexProblems) {
    this.dir = dir;
    this.episodes = List.copyOf(episodes);
    this.indexProblems = List.copyOf(indexProblems);
  }

  /** Opens (and re-indexes where stale) the dataset in {@code dir}. */
  public static Dataset open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InputException("dataset " + dir + ": " + (Files.exists(dir) ? "not a directory"
          : Files.notExists(dir) ? "no such directory" : "permission denied"));
    }
    List<String> problems = new ArrayList<>();
    Map<String, EpisodeEntry> cached = readIndex(dir, problems);
    List<EpisodeEntry> entries = new ArrayList<>();
    boolean changed = cached.isEmpty() && !Files.exists(dir.resolve(INDEX_FILE));
    for (Path file : episodeFiles(dir)) {
      String name = file.getFileName().toString();
      long bytes = Files.size(file);
      long mtime = Files.getLastModifiedTime(file).toMillis();
      EpisodeEntry e = cached.remove(name);
      if (e == null || e.bytes() != bytes || e.modifiedMs() != mtime) {
        e = describe(file);
        changed = true;
      }
      entries.add(e);
    }
    for (String gone : cached.keySet()) {
      problems.add(dir.resolve(INDEX_FILE) + ": lists " + gone + ", which is missing");
      changed = true;
    }
    entries.sort(Comparator.comparingLong(EpisodeEntry::startNs).thenComparing(EpisodeEntry::file));
    if (changed) {
      writeIndex(dir, entries);
    }
    return new Dataset(dir, entries, problems);
  }

  /** Re-indexes {@code dir} (after a recording finished); errors are logged, never thrown. */
  public static void refreshIndex(Path dir) {
    try {
      open(dir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot refresh dataset index in {}: {}", dir, e.toString());
    }
  }

  public Path dir() {
    return dir;
  }

  public List<EpisodeEntry> episodes() {
    return episodes;
  }

  /** Problems with the index file itself (unreadable, or listing missing files). */
  public List<String> indexProblems() {
    return indexProblems;
  }

  public EpisodeReader openEpisode(int index) throws IOException {
    if (index < 0 || index >= episodes.size()) {
      throw new InputException("dataset " + dir + ": no episode #" + index + " (it has " + episodes.size() + ")");
    }
    return EpisodeReader.open(dir.resolve(episodes.get(index).file()));
  }

  public EpisodeReader openEpisode(String episodeId) throws IOException {
    for (EpisodeEntry e : episodes) {
      if (e.episodeId().equals(episodeId)) {
        return EpisodeReader.open(dir.resolve(e.file()));
      }
    }
    throw new InputException("dataset " + dir + ": no episode with id '" + episodeId + "'");
  }

  /** Summary for humans and tools: what {@code optimus dataset info} prints. */
  public DatasetInfo info() {
    return DatasetInfo.of(this);
  }

  /**
   * Checks every byte of every episode (framing, chunk CRCs, data and summary CRCs, indexes) and
   * every joint state (array lengths match the header's joints, no NaN positions). Problems name
   * the file and byte offset.
   */
  public DatasetValidation validate() throws IOException {
    List<DatasetValidation.FileReport> files = new ArrayList<>();
    for (EpisodeEntry e : episodes) {
      Path file = dir.resolve(e.file());
      List<String> problems = new ArrayList<>();
      McapValidation v;
      try {
        v = McapValidator.validate(file);
      } catch (IOException | RuntimeException x) { // one unreadable file must not hide the others
        String why = x.getMessage() == null ? x.toString() : x.getMessage();
        v = new McapValidation(file, false, 0, 0, 0, List.of(why.contains(file.toString()) ? why : file + ": " + why));
      }
      problems.addAll(v.problems());
      if (!v.complete() && v.problems().stream().noneMatch(p -> p.contains("recover"))) {
        problems.add(file + ": not finished; run 'optimus dataset recover " + file + "'");
      }
      if (v.ok()) {
        problems.addAll(checkEpisode(file));
      }
      files.add(new DatasetValidation.FileReport(e.file(), v.messages(), v.chunks(), problems));
    }
    return new DatasetValidation(dir, files, indexProblems);
  }

  private static List<String> checkEpisode(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(file)) {
      int joints = r.header().getRobot().getJointsCount();
      Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
      while (it.hasNext() && problems.size() < 20) {
        EpisodeFrame f = it.next();
        JointState s = f.as(JointState.class);
        if (s.getPositionCount() != joints || (s.getVelocityCount() != 0 && s.getVelocityCount() != joints)
            || (s.getEffortCount() != 0 && s.getEffortCount() != joints)
            || (s.getCommandedPositionCount() != 0 && s.getCommandedPositionCount() != joints)) {
          problems.add(file + ": /state #" + f.sequence() + " has " + s.getPositionCount() + " positions, "
              + s.getVelocityCount() + " velocities, " + s.getEffortCount() + " efforts, "
              + s.getCommandedPositionCount() + " commanded; the header lists " + joints + " joints");
        }
        for (int i = 0; i < s.getPositionCount(); i++) {
          if (!Double.isFinite(s.getPosition(i))) {
            problems.add(file + ": /state #" + f.sequence() + " position " + i + " is " + s.getPosition(i));
            break;
          }
        }
      }
    } catch (McapException | UncheckedIOException e) {
      problems.add(e.getMessage());
    }
    return problems;
  }

  /** Describes one episode file (reads all of it once), or an unreadable row naming the problem. */
  public static EpisodeEntry describe(Path file) throws IOException {
    String name = file.getFileName().toString();
    long bytes = Files.size(file);
    long mtime = Files.getLastModifiedTime(file).toMillis();
    try (EpisodeReader r = EpisodeReader.open(file)) {
      Map<Integer, long[]> times = new HashMap<>();
      Map<Integer, Integer> counts = new HashMap<>();
      for (McapChannel c : r.mcap().channels().values()) {
        if (isRateTracked(c.topic())) {
          times.put(c.id(), new long[1024]);
        }
      }
      long messages = 0;
      Map<String, Long> byTopic = new TreeMap<>();
      for (Iterator<McapMessage> it = r.mcap().messages(); it.hasNext(); ) {
        McapMessage m = it.next();
        messages++;
        byTopic.merge(r.mcap().channels().get(m.channelId()).topic(), 1L, Long::sum);
        long[] t = times.get(m.channelId());
        if (t != null) {
          int n = counts.merge(m.channelId(), 1, Integer::sum);
          if (n > t.length) {
            t = Arrays.copyOf(t, t.length * 2);
            times.put(m.channelId(), t);
          }
          t[n - 1] = m.publishTime();
        }
      }
      Map<String, RateStats> rates = new TreeMap<>();
      for (Map.Entry<Integer, long[]> e : times.entrySet()) {
        McapChannel c = r.mcap().channels().get(e.getKey());
        double nominal = 0;
        try {
          nominal = Double.parseDouble(c.metadata().getOrDefault("nominal_rate_hz", "0"));
        } catch (NumberFormatException ignored) {
          nominal = 0;
        }
        rates.put(c.topic(), RateStats.of(e.getValue(), counts.getOrDefault(e.getKey(), 0), nominal));
      }
      Map<String, Long> dropped = new TreeMap<>();
      String outcome = "UNSPECIFIED";
      String notes = "";
      if (r.outcome().isPresent()) {
        EpisodeOutcomeRecord o = r.outcome().get();
        outcome = o.getOutcome().name().replace("EPISODE_OUTCOME_", "");
        notes = o.getNotes();
        for (ChannelStats c : o.getChannelsList()) {
          if (c.getDropped() > 0) {
            dropped.put(c.getTopic(), c.getDropped());
          }
        }
      }
      var h = r.header();
      long start = h.getStart().getWallNs();
      return new EpisodeEntry(name, bytes, mtime, h.getEpisodeId(), h.getTask(), h.getOperatorId(),
          h.getRobot().getModelName(), h.getRobot().getModelHash(), r.jointNames(), r.cameras(), outcome, notes,
          r.outcome().isPresent(), !r.metadata("recovery").isEmpty(),
          start == 0 ? "" : Instant.ofEpochSecond(0, start).toString(), start, r.durationS(),
          byTopic.getOrDefault(EpisodeTopics.STATE, 0L), messages, byTopic, rates, dropped,
          new TreeMap<>(h.getTagsMap()), null);
    } catch (McapException | UncheckedIOException e) {
      return EpisodeEntry.unreadable(name, bytes, mtime, e.getMessage());
    }
  }

  private static boolean isRateTracked(String topic) {
    return topic.equals(EpisodeTopics.STATE) || topic.equals(EpisodeTopics.OPERATOR) || topic.equals(EpisodeTopics.COMMAND)
        || EpisodeTopics.isCamera(topic);
  }

  private static List<Path> episodeFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p)).sorted().toList();
    } catch (java.nio.file.AccessDeniedException e) {
      throw new InputException("dataset " + dir + ": permission denied");
    }
  }

  private static Map<String, EpisodeEntry> readIndex(Path dir, List<String> problems) {
    Path index = dir.resolve(INDEX_FILE);
    Map<String, EpisodeEntry> out = new LinkedHashMap<>();
    if (!Files.exists(index)) {
      return out;
    }
    if (!Files.isRegularFile(index)) { // a FIFO would block the reader
      problems.add(index + ": not a regular file; ignored");
      return out;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(index.toFile());
      for (JsonNode n : root.path("episodes")) {
        if (!n.has("tags")) {
          continue; // a row from before tags were indexed: described again
        }
        EpisodeEntry e = Json.MAPPER.treeToValue(n, EpisodeEntry.class);
        out.put(e.file(), e);
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add(index + ": unreadable index, rebuilt from the episode files (" + e.getMessage().lines().findFirst().orElse("") + ")");
      out.clear();
    }
    return out;
  }

  private static void writeIndex(Path dir, List<EpisodeEntry> entries) {
    Path index = dir.resolve(INDEX_FILE);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, INDEX_FILE, ".tmp"); // unique: two indexers may race
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("format", "optimus-dataset");
      root.put("version", 1);
      root.set("episodes", Json.MAPPER.valueToTree(entries));
      Files.writeString(tmp, Json.MAPPER.writeValueAsString(root));
      Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write dataset index {}: {}", index, e.toString());
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do; the index is a cache
        }
      }
    }
  }
}
