package io.optimus.bridge.control;

/**
 * A learned (or scripted) policy, plugged in from outside this module (policy-training implements
 * it with DJL; the bridge never depends on DJL). On a live bridge {@link #act} runs on the policy's
 * own thread at {@link #rateHz()} ({@link PolicyActionSource}), so inference time cannot stall the
 * control loop; in stepped-time evaluation it runs inside the tick every {@code controlRate/rateHz}
 * ticks (policy-training's {@code SteppedPolicySource}), where only simulated time waits for it.
 */
public interface Policy extends AutoCloseable {
  String name();

  /** How often to act (Hz). */
  double rateHz();

  /** Writes joint targets (q order) for {@code observation} into {@code targetOut}. */
  void act(PolicyObservation observation, double[] targetOut) throws Exception;

  /** Called when the policy starts controlling (e.g. to reset recurrent state). */
  default void reset() {}

  @Override
  default void close() {}
}
