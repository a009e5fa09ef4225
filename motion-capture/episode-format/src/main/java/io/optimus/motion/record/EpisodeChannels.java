package io.optimus.motion.record;

import com.google.protobuf.Message;
import io.optimus.motion.record.mcap.Mcap;
import io.optimus.motion.record.mcap.McapWriter;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.ChannelStats;
import io.optimus.proto.v1.EpisodeHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The channels of one episode file, owned by its writer thread: a channel per topic, registered
 * (with its protobuf schema, once per type) on first use, and per channel the message count and the
 * gaps against its nominal rate that the outcome record and the summary report.
 */
final class EpisodeChannels {
  /** One channel's bookkeeping. */
  static final class Track {
    final int id;
    final String topic;
    final double nominalHz;
    long messages;
    long lastStampNs = Long.MIN_VALUE;
    long gaps;
    long maxGapNs;

    Track(int id, String topic, double nominalHz) {
      this.id = id;
      this.topic = topic;
      this.nominalHz = nominalHz;
    }

    /** A message stamped {@code stampNs} (monotonic): a step over 1.5 nominal periods is a gap. */
    void stamped(long stampNs) {
      if (nominalHz > 0 && lastStampNs != Long.MIN_VALUE) {
        long dt = stampNs - lastStampNs;
        if (dt > 1.5e9 / nominalHz) {
          gaps++;
        }
        maxGapNs = Math.max(maxGapNs, dt);
      }
      lastStampNs = stampNs;
    }
  }

  private final EpisodeHeader header;
  private final Map<String, Double> nominalRates;
  private final Map<String, Track> tracks = new LinkedHashMap<>();
  private final Map<String, Integer> schemaIds = new HashMap<>();

  EpisodeChannels(EpisodeHeader header, Map<String, Double> nominalRates) {
    this.header = header;
    this.nominalRates = nominalRates;
  }

  /** The channel of {@code topic}, registered in {@code mcap} for {@code message}'s type if new. */
  Track track(McapWriter mcap, String topic, Message message, Map<String, String> extraMeta) throws IOException {
    Track t = tracks.get(topic);
    return t != null ? t : register(mcap, topic, message, extraMeta);
  }

  private Track register(McapWriter mcap, String topic, Message message, Map<String, String> extraMeta)
      throws IOException {
    String type = message.getDescriptorForType().getFullName();
    Integer schema = schemaIds.get(type);
    if (schema == null) {
      schema = mcap.addSchema(type, Mcap.PROTOBUF, ProtoSchemas.fileDescriptorSet(message.getDescriptorForType()));
      schemaIds.put(type, schema);
    }
    double nominal = nominalRate(topic);
    Map<String, String> meta = new TreeMap<>(extraMeta);
    if (nominal > 0) {
      meta.put("nominal_rate_hz", Double.toString(nominal));
    }
    int id = mcap.addChannel(schema, topic, Mcap.PROTOBUF, meta);
    Track t = new Track(id, topic, nominal);
    tracks.put(topic, t);
    return t;
  }

  /** Nominal rate (Hz) of a topic: given in the options, else the header's control or camera rate, else 0. */
  double nominalRate(String topic) {
    Double given = nominalRates.get(topic);
    if (given != null) {
      return given;
    }
    if (topic.equals(EpisodeTopics.STATE)) {
      return header.getControlRateHz();
    }
    if (EpisodeTopics.isCamera(topic)) {
      String name = EpisodeTopics.cameraName(topic);
      for (CameraInfo c : header.getRobot().getCamerasList()) {
        if (c.getName().equals(name)) {
          return c.getRateHz();
        }
      }
    }
    return 0;
  }

  /** Messages written on all channels. */
  long messages() {
    long n = 0;
    for (Track t : tracks.values()) {
      n += t.messages;
    }
    return n;
  }

  /** Per-topic figures (header and outcome left out), with the drops counted by the producers' side. */
  List<ChannelStats> stats(Map<String, LongAdder> drops) {
    Map<String, ChannelStats.Builder> out = new TreeMap<>();
    for (Track t : tracks.values()) {
      if (t.topic.equals(EpisodeTopics.HEADER) || t.topic.equals(EpisodeTopics.OUTCOME)) {
        continue;
      }
      out.put(t.topic, ChannelStats.newBuilder().setTopic(t.topic).setMessages(t.messages).setGaps(t.gaps)
          .setMaxGapS(t.maxGapNs / 1e9).setNominalRateHz(t.nominalHz));
    }
    for (Map.Entry<String, LongAdder> d : drops.entrySet()) {
      out.computeIfAbsent(d.getKey(), k -> ChannelStats.newBuilder().setTopic(k).setNominalRateHz(nominalRate(k)))
          .setDropped(d.getValue().sum());
    }
    List<ChannelStats> list = new ArrayList<>();
    for (ChannelStats.Builder b : out.values()) {
      list.add(b.build());
    }
    return list;
  }
}
