package io.optimus.motion.dataset.lerobot;

import io.optimus.common.InputException;
import io.optimus.motion.record.CameraFrames;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.JointState;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Resamples one recorded episode onto the export's fixed rate by sample-and-hold: tick k (at
 * {@code start + k/fps}) carries the latest /state and the latest frame of each camera whose publish
 * time (the message's own stamp) is at or before it. Nothing is interpolated, so every exported
 * value is a recorded one. The episode starts at the first instant that has a state and a frame of
 * every exported camera, and ends at the last state; a camera that stops earlier holds its last frame.
 * {@code observation.state} is the measured joint positions, {@code action} the commanded positions
 * after the safety supervisor (the measured ones where a state carries no command).
 */
final class EpisodeSampler {
  /** Receives the exported images of tick {@code k}, one per camera in order (arrays may repeat). */
  interface ImageSink {
    void tick(int k, byte[][] images) throws IOException;
  }

  /** {@code frames} ticks; state and action row-major, {@code joints} floats a row. */
  record Sampled(int frames, int joints, float[] state, float[] action, long startNs) {}

  private EpisodeSampler() {}

  static Sampled sample(EpisodeReader r, List<String> cameras, int fps, ImageSink sink) throws IOException {
    String where = r.file().toString();
    int joints = r.jointNames().size();
    if (joints == 0) {
      throw new InputException(where + ": the episode header lists no joints");
    }
    long start = firstPublish(r, EpisodeTopics.STATE, where);
    for (String c : cameras) {
      start = Math.max(start, firstPublish(r, EpisodeTopics.camera(c), where));
    }
    long last = r.lastAtOrBefore(EpisodeTopics.STATE, Long.MAX_VALUE).orElseThrow().publishTimeNs();
    if (last < start) {
      throw new InputException(where + ": no /state at or after the first frame of every camera " + cameras);
    }
    ResamplingClock clock = new ResamplingClock(start, fps);
    int n = clock.ticksUntil(last);
    float[] state = new float[n * joints];
    float[] action = new float[n * joints];
    Iterator<EpisodeFrame> states = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
    List<Iterator<EpisodeFrame>> cams = cameras.stream()
        .map(c -> r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(c)))).toList();
    EpisodeFrame nextState = states.next();
    EpisodeFrame heldState = null;
    EpisodeFrame[] nextFrame = new EpisodeFrame[cameras.size()];
    EpisodeFrame[] heldFrame = new EpisodeFrame[cameras.size()];
    byte[][] images = new byte[cameras.size()][];
    for (int c = 0; c < cameras.size(); c++) {
      nextFrame[c] = cams.get(c).next();
    }
    for (int k = 0; k < n; k++) {
      while (nextState != null && clock.atOrBefore(nextState.publishTimeNs(), k)) {
        heldState = nextState;
        nextState = states.hasNext() ? states.next() : null;
      }
      JointState s = heldState.as(JointState.class);
      copyJoints(s, joints, k, state, action, where + " /state #" + heldState.sequence());
      for (int c = 0; c < cameras.size(); c++) {
        EpisodeFrame before = heldFrame[c];
        while (nextFrame[c] != null && clock.atOrBefore(nextFrame[c].publishTimeNs(), k)) {
          heldFrame[c] = nextFrame[c];
          nextFrame[c] = cams.get(c).hasNext() ? cams.get(c).next() : null;
        }
        if (heldFrame[c] != before) { // decode only frames that change
          images[c] = CameraFrames.rgb8(heldFrame[c].as(CameraFrame.class),
              where + " " + EpisodeTopics.camera(cameras.get(c)) + " #" + heldFrame[c].sequence());
        }
      }
      sink.tick(k, images);
    }
    return new Sampled(n, joints, state, action, start);
  }

  private static void copyJoints(JointState s, int joints, int k, float[] state, float[] action, String where) {
    if (s.getPositionCount() != joints) {
      throw new InputException(where + ": " + s.getPositionCount() + " positions, the header lists " + joints + " joints");
    }
    boolean commanded = s.getCommandedPositionCount() == joints;
    for (int j = 0; j < joints; j++) {
      float q = (float) s.getPosition(j);
      float a = commanded ? (float) s.getCommandedPosition(j) : q;
      if (!Float.isFinite(q) || !Float.isFinite(a)) {
        throw new InputException(where + ": joint " + j + " is not finite (position " + s.getPosition(j)
            + (commanded ? ", commanded " + s.getCommandedPosition(j) : "") + ")");
      }
      state[k * joints + j] = q;
      action[k * joints + j] = a;
    }
  }

  private static long firstPublish(EpisodeReader r, String topic, String where) {
    Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic));
    if (!it.hasNext()) {
      throw new InputException(where + ": no " + topic + " messages");
    }
    return it.next().publishTimeNs();
  }
}
