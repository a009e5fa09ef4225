package io.optimus.bridge.safety;

/**
 * When an e-stop latched, measured on the bridge: when its request arrived and when it latched, in
 * monotonic ns and in control ticks completed ({@link SafetySupervisor#ticks()}), so "latched within
 * one control tick of arrival" can be checked without trusting wall-clock scheduling.
 */
public record EstopLatch(String reason, long arrivalNs, long arrivalTick, long latchNs, long latchTick) {
  public long latencyNs() {
    return latchNs - arrivalNs;
  }

  /** Control ticks that completed between arrival and latch. */
  public long ticksWaited() {
    return latchTick - arrivalTick;
  }
}
