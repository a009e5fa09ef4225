package io.optimus.motion.record;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.optimus.motion.record.mcap.McapChannel;
import io.optimus.motion.record.mcap.McapException;
import io.optimus.motion.record.mcap.McapMessage;
import io.optimus.motion.record.mcap.McapMetadata;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.McapSchema;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcomeRecord;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one episode file: header, outcome, metadata, frames in time order (optionally a time window
 * and a set of topics), and random access by time through the MCAP chunk index. Not thread-safe:
 * open one reader per thread (e.g. per training data-loader worker).
 */
public final class EpisodeReader implements Closeable {
  private final McapReader mcap;
  private final Map<Integer, Parser<? extends Message>> parsers = new HashMap<>();
  private final Map<Integer, com.google.protobuf.Descriptors.Descriptor> dynamic = new HashMap<>();
  private final EpisodeHeader header;
  private final EpisodeOutcomeRecord outcome;
  private final List<McapMetadata> metadata;

  private EpisodeReader(McapReader mcap) throws IOException {
    this.mcap = mcap;
    for (McapChannel c : mcap.channels().values()) {
      McapSchema s = mcap.schemas().get(c.schemaId());
      if (s == null) {
        throw new McapException(mcap.path(), -1, "channel " + c.topic() + " has no schema");
      }
      Parser<? extends Message> p = EpisodeMessages.parser(s.name());
      if (p != null) {
        parsers.put(c.id(), p);
      } else {
        dynamic.put(c.id(), DescriptorSets.find(mcap.path(), s));
      }
    }
    this.metadata = mcap.metadata();
    this.header = first(EpisodeTopics.HEADER, EpisodeHeader.class);
    if (header == null) {
      throw new McapException(mcap.path(), -1, "not an episode: no " + EpisodeTopics.HEADER + " message");
    }
    this.outcome = first(EpisodeTopics.OUTCOME, EpisodeOutcomeRecord.class);
  }

  public static EpisodeReader open(Path file) throws IOException {
    McapReader r = McapReader.open(file);
    try {
      return new EpisodeReader(r);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  public Path file() {
    return mcap.path();
  }

  public McapReader mcap() {
    return mcap;
  }

  public EpisodeHeader header() {
    return header;
  }

  /** The outcome record; empty if the recording was cut short (killed, recovered). */
  public Optional<EpisodeOutcomeRecord> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** The values of the named Metadata record ("episode", "outcome", "recovery"), empty if absent. */
  public Map<String, String> metadata(String name) {
    for (McapMetadata m : metadata) {
      if (m.name().equals(name)) {
        return m.values();
      }
    }
    return Map.of();
  }

  public List<String> jointNames() {
    return header.getRobot().getJointsList().stream().map(JointInfo::getName).toList();
  }

  public List<String> topics() {
    return mcap.channels().values().stream().map(McapChannel::topic).toList();
  }

  /** Camera names that have a channel in this episode. */
  public List<String> cameras() {
    return topics().stream().filter(EpisodeTopics::isCamera).map(EpisodeTopics::cameraName).sorted().toList();
  }

  public long messageCount(String topic) {
    McapChannel c = mcap.channel(topic);
    if (c == null || mcap.statistics() == null) {
      return 0;
    }
    return mcap.statistics().channelMessageCounts().getOrDefault(c.id(), 0L);
  }

  /** Log time of the first and last message (Unix epoch ns). */
  public long startTimeNs() {
    return mcap.statistics() == null ? 0 : mcap.statistics().messageStartTime();
  }

  public long endTimeNs() {
    return mcap.statistics() == null ? 0 : mcap.statistics().messageEndTime();
  }

  public double durationS() {
    return (endTimeNs() - startTimeNs()) / 1e9;
  }

  /** Every frame in log-time order. */
  public Iterator<EpisodeFrame> frames() {
    return frames(Long.MIN_VALUE, Long.MAX_VALUE, null);
  }

  /** Frames with {@code fromNs <= logTime < toNs} on {@code topics} (null = all), in log-time order. */
  public Iterator<EpisodeFrame> frames(long fromNs, long toNs, Collection<String> topics) {
    Set<Integer> ids = channelIds(topics);
    Iterator<McapMessage> it = mcap.messages(fromNs, toNs, id -> ids == null || ids.contains(id));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public EpisodeFrame next() {
        return decode(it.next());
      }
    };
  }

  /** The latest joint state at or before {@code timeNs} (log time), via the chunk index. */
  public Optional<JointState> stateAt(long timeNs) throws IOException {
    return lastAtOrBefore(EpisodeTopics.STATE, timeNs).map(f -> f.as(JointState.class));
  }

  /** The latest frame of camera {@code name} at or before {@code timeNs}. */
  public Optional<CameraFrame> cameraAt(String name, long timeNs) throws IOException {
    return lastAtOrBefore(EpisodeTopics.camera(name), timeNs).map(f -> f.as(CameraFrame.class));
  }

  public Optional<EpisodeFrame> lastAtOrBefore(String topic, long timeNs) throws IOException {
    McapChannel c = mcap.channel(topic);
    if (c == null) {
      return Optional.empty();
    }
    McapMessage m = mcap.lastAtOrBefore(c.id(), timeNs);
    return m == null ? Optional.empty() : Optional.of(decode(m));
  }

  private Set<Integer> channelIds(Collection<String> topics) {
    if (topics == null) {
      return null;
    }
    Set<Integer> ids = new HashSet<>();
    for (String t : topics) {
      McapChannel c = mcap.channel(t);
      if (c != null) {
        ids.add(c.id());
      }
    }
    return ids;
  }

  private <T extends Message> T first(String topic, Class<T> type) {
    McapChannel c = mcap.channel(topic);
    if (c == null) {
      return null;
    }
    Iterator<McapMessage> it = mcap.messages(Long.MIN_VALUE, Long.MAX_VALUE, id -> id == c.id());
    return it.hasNext() ? type.cast(decode(it.next()).message()) : null;
  }

  private EpisodeFrame decode(McapMessage m) {
    McapChannel c = mcap.channels().get(m.channelId());
    try {
      Parser<? extends Message> p = parsers.get(m.channelId());
      Message msg = p != null ? p.parseFrom(m.data()) : DynamicMessage.parseFrom(dynamic.get(m.channelId()), m.data());
      return new EpisodeFrame(c.topic(), m.logTime(), m.publishTime(), m.sequence(), msg);
    } catch (InvalidProtocolBufferException e) {
      throw new McapException(mcap.path(), -1, "message " + m.sequence() + " on " + c.topic() + " at log time "
          + m.logTime() + " does not decode: " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    mcap.close();
  }
}
