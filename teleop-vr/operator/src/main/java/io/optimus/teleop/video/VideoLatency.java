package io.optimus.teleop.video;

import io.optimus.common.SampleRing;
import io.optimus.proto.v1.VideoStages;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Video latency per frame and stage: rendered on the robot, encoded, published, received, decoded,
 * submitted to the headset (xrEndFrame). Stages on one host compare monotonic clocks; robot to client
 * compares wall clocks (they may be different hosts, as the teleop latency does). Thread-safe.
 */
public final class VideoLatency {
  /** The stages, in order; "total" is captured on the robot to submitted in the headset. */
  public enum Stage { RENDER, ENCODE, PUBLISH, TRANSPORT, DECODE, SUBMIT, TOTAL }

  /** One stage's figures (ns; -1 without samples). */
  public record Figures(long count, long p50Ns, long p99Ns) {}

  private final SampleRing[] rings = new SampleRing[Stage.values().length];

  public VideoLatency(int capacity) {
    for (int i = 0; i < rings.length; i++) {
      rings[i] = new SampleRing(capacity);
    }
  }

  /** A frame shown: its robot stages, then when it arrived, was decoded and was submitted (each mono + wall ns). */
  public void add(VideoStages s, long receivedMono, long receivedWall, long decodedMono, long submittedMono,
      long submittedWall) {
    rings[Stage.RENDER.ordinal()].add(s.getRendered().getMonotonicNs() - s.getCaptured().getMonotonicNs());
    rings[Stage.ENCODE.ordinal()].add(s.getEncoded().getMonotonicNs() - s.getRendered().getMonotonicNs());
    rings[Stage.PUBLISH.ordinal()].add(s.getPublished().getMonotonicNs() - s.getEncoded().getMonotonicNs());
    rings[Stage.TRANSPORT.ordinal()].add(receivedWall - s.getPublished().getWallNs());
    rings[Stage.DECODE.ordinal()].add(decodedMono - receivedMono);
    rings[Stage.SUBMIT.ordinal()].add(submittedMono - decodedMono);
    rings[Stage.TOTAL.ordinal()].add(submittedWall - s.getCaptured().getWallNs());
  }

  public Figures figures(Stage s) {
    SampleRing r = rings[s.ordinal()];
    long[] sorted = r.sorted();
    return new Figures(r.total(), SampleRing.quantile(sorted, 0.5), SampleRing.quantile(sorted, 0.99));
  }

  /** Every stage's figures, in order. */
  public Map<Stage, Figures> all() {
    Map<Stage, Figures> m = new LinkedHashMap<>();
    for (Stage s : Stage.values()) {
      m.put(s, figures(s));
    }
    return m;
  }

  public void clear() {
    for (SampleRing r : rings) {
      r.clear();
    }
  }
}
