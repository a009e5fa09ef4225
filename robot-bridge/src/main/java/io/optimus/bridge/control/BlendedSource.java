package io.optimus.bridge.control;

import io.optimus.proto.v1.EpisodeSourceKind;

/**
 * Switches to {@code inner} without a jump: from the command in force when it becomes active, the
 * target moves to what {@code inner} wants over {@code seconds} (smoothstep), then follows it. The
 * supervisor's velocity and acceleration limits still bound every step. Used for takeover and hand-back.
 */
public final class BlendedSource implements ActionSource {
  private final ActionSource inner;
  private final double seconds;
  private final double[] from;
  private final double[] wanted;
  private double elapsed;

  public BlendedSource(ActionSource inner, double seconds, int dof) {
    this.inner = inner;
    this.seconds = seconds;
    this.from = new double[dof];
    this.wanted = new double[dof];
  }

  public ActionSource inner() {
    return inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public EpisodeSourceKind kind() {
    return inner.kind();
  }

  @Override
  public void activate(ControlContext ctx) {
    System.arraycopy(ctx.commanded, 0, from, 0, from.length);
    elapsed = 0;
    inner.activate(ctx);
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    if (!inner.target(ctx, wanted)) {
      return false;
    }
    elapsed += ctx.dt;
    double a = seconds <= 0 ? 1 : Math.min(1, elapsed / seconds);
    double w = a * a * (3 - 2 * a);
    for (int i = 0; i < target.length; i++) {
      target[i] = from[i] + w * (wanted[i] - from[i]);
    }
    return true;
  }

  @Override
  public void close() {
    inner.close();
  }
}
