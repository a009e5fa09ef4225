package io.optimus.bridge.control;

import io.optimus.proto.v1.EpisodeSourceKind;

/**
 * Where joint targets come from: teleoperation, a recorded episode, a policy, an external commander.
 * The safety supervisor always sits between a source and the body.
 */
public interface ActionSource extends AutoCloseable {
  /** E.g. "teleop", "replay:episode.mcap", "policy:act-v1". */
  String name();

  EpisodeSourceKind kind();

  /**
   * Called every tick on the control thread; must not block or allocate. Writes the wanted joint
   * positions into {@code target} and returns true, or returns false to command nothing new (the
   * supervisor then holds).
   */
  boolean target(ControlContext ctx, double[] target);

  /** Called on the control thread when the source becomes the active one. */
  default void activate(ControlContext ctx) {}

  /** The joint this source's last target held at a limit while its input asked for more, or "". */
  default String limitedJoint() {
    return "";
  }

  /** Live closeness to the operator's body, if this source follows one (else null). */
  default io.optimus.motion.retarget.LiveCloseness closeness() {
    return null;
  }

  @Override
  default void close() {}
}
