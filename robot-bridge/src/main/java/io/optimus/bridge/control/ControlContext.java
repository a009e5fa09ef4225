package io.optimus.bridge.control;

import io.optimus.bridge.body.BodyState;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.TaskState;

/**
 * What an action source sees each tick. Reused by the loop (do not keep references to it).
 */
public final class ControlContext {
  public long nowNs;
  /** Seconds since the previous tick. */
  public double dt;
  public BodyState measured;
  /** The previous safe command (q order). */
  public double[] commanded;
  /** The newest operator frame (null if none yet) and whether it arrived since the previous tick. */
  public ReceivedFrame operator;
  public boolean operatorIsNew;
  /** Latest camera image and task state (null when the bridge has none); refreshed at their own rates. */
  public volatile CameraFrame camera;
  public volatile TaskState task;
}
