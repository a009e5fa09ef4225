package io.optimus.motion.clips;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A moment of an episode worth learning from, cut by a trigger: which episode, the time range (the
 * episode's monotonic clock, as in {@code JointState.stamp.monotonic_ns}), what fired and how strongly,
 * and where it stands in review.
 *
 * @param id stable for the same episode, trigger and start: a trigger firing again after a restart
 *     names the same clip ({@link #idOf})
 * @param label what the clip is for training (defaults to the trigger); relabelled in review
 */
public record Clip(String id, String robotId, String episodeId, ClipTrigger trigger, long startNs, long endNs,
    double score, ClipState state, String label, String detail) {

  public Clip {
    if (!(endNs >= startNs)) {
      throw new IllegalArgumentException("clip ends (" + endNs + ") before it starts (" + startNs + ")");
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("clip score " + score + " is not finite");
    }
  }

  /** A new pending clip, labelled with its trigger. */
  public static Clip of(String robotId, String episodeId, ClipTrigger trigger, long startNs, long endNs,
      double score, String detail) {
    return new Clip(idOf(episodeId, trigger, startNs), robotId, episodeId, trigger, startNs, endNs, score,
        ClipState.PENDING, trigger.id(), detail == null ? "" : detail);
  }

  /** 12 hex digits of SHA-256 over episode, trigger and start: the same moment always gets the same id. */
  public static String idOf(String episodeId, ClipTrigger trigger, long startNs) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((episodeId + "|" + trigger.id() + "|" + startNs).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  public double durationS() {
    return (endNs - startNs) / 1e9;
  }

  Clip withState(ClipState s) {
    return new Clip(id, robotId, episodeId, trigger, startNs, endNs, score, s, label, detail);
  }

  Clip withLabel(String l) {
    return new Clip(id, robotId, episodeId, trigger, startNs, endNs, score, state, l, detail);
  }
}
