package io.optimus.bridge.safety;

/**
 * Tunables of the safety supervisor.
 *
 * @param holdTimeoutNs no fresh operator frame for this long: hold (stop in place)
 * @param disengageTimeoutNs ... for this long: disengage and ramp to the safe pose
 * @param rampSpeedScale fraction of each joint's velocity limit used when ramping to the safe pose
 * @param defaultAccelerationPerVelocity when a joint declares no acceleration limit, a = this * v_max (1/s)
 * @param defaultVelocity velocity limit (rad/s or m/s) for joints that declare none
 * @param outOfRangeMargin targets further than this outside a joint's position limits are rejected
 *     as garbage instead of clamped (rad or m)
 * @param safePoseTolerance the safe pose counts as reached within this distance per joint
 */
public record SafetyConfig(long holdTimeoutNs, long disengageTimeoutNs, double rampSpeedScale,
    double defaultAccelerationPerVelocity, double defaultVelocity, double outOfRangeMargin,
    double safePoseTolerance) {

  public static final SafetyConfig DEFAULT = new SafetyConfig(100_000_000L, 500_000_000L, 0.3, 10.0, 2.0, 0.5, 0.005);

  public SafetyConfig {
    if (holdTimeoutNs <= 0 || disengageTimeoutNs < holdTimeoutNs) {
      throw new IllegalArgumentException("need 0 < hold timeout <= disengage timeout");
    }
    if (!(rampSpeedScale > 0 && rampSpeedScale <= 1)) {
      throw new IllegalArgumentException("ramp speed scale must be in (0, 1]");
    }
  }
}
