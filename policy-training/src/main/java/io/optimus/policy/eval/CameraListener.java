package io.optimus.policy.eval;

import io.optimus.proto.v1.CameraFrame;

/**
 * An action source that wants every camera's frames as they render ({@link SimulatedEpisodes} hands
 * them over before the control tick that follows): the control loop passes on the head camera's only.
 */
public interface CameraListener {
  void camera(CameraFrame frame);
}
