package io.optimus.teleop.source;

import io.optimus.proto.v1.OperatorFrame;
import java.util.Optional;

/**
 * Where operator poses come from: an OpenXR headset, a scripted operator, a BVH clip, a recorded
 * stream. A source blocks until its next frame is due (its own pacing: the OpenXR frame loop, or a
 * fixed rate) and fills head, hands and capture time, all in the operator frame (z up). Commands,
 * events, sequence and ids are added downstream by {@link io.optimus.teleop.OperatorStream}.
 */
public interface PoseSource extends AutoCloseable {
  /** The {@code OperatorFrame.source} name, e.g. "openxr" or "scripted:pick-place". */
  String name();

  /** The next frame, or empty when the source has finished (end of clip, session exited). */
  Optional<OperatorFrame.Builder> next() throws InterruptedException;

  @Override
  default void close() {}
}
