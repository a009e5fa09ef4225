package io.optimus.teleop.scripted;

import io.optimus.motion.geometry.Vec3;

/**
 * A reaching movement the way people make them: a curved path (quadratic Bezier through a via point)
 * traversed with the minimum-jerk speed profile (Flash and Hogan 1985): bell-shaped speed, zero
 * velocity and acceleration at both ends.
 */
record MinJerkPath(Vec3 from, Vec3 via, Vec3 to, double duration) {

  static MinJerkPath straight(Vec3 from, Vec3 to, double duration) {
    return new MinJerkPath(from, from.plus(to).times(0.5), to, duration);
  }

  /** Position at {@code t} seconds after the start (held at the end afterwards). */
  Vec3 at(double t) {
    double tau = Math.min(1, Math.max(0, t / duration));
    double s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
    double a = (1 - s) * (1 - s), b = 2 * (1 - s) * s, c = s * s;
    return from.times(a).plus(via.times(b)).plus(to.times(c));
  }

  boolean done(double t) {
    return t >= duration;
  }
}
