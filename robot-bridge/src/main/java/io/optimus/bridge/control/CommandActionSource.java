package io.optimus.bridge.control;

import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointCommand;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An external commander publishing {@link JointCommand}s (topic {@code .../command}): the newest
 * command's positions are the target. Commands of the wrong length are rejected by the supervisor.
 */
public final class CommandActionSource implements ActionSource {
  private final AtomicReference<JointCommand> latest = new AtomicReference<>();
  private JointCommand used;

  /** From any thread (the MQTT handler). */
  public void offer(JointCommand c) {
    latest.set(c);
  }

  @Override
  public String name() {
    return "command";
  }

  @Override
  public EpisodeSourceKind kind() {
    return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
  }

  @Override
  public boolean target(ControlContext ctx, double[] target) {
    JointCommand c = latest.get();
    if (c == null) {
      return false;
    }
    used = c;
    int n = Math.min(c.getPositionCount(), target.length);
    for (int i = 0; i < n; i++) {
      target[i] = c.getPosition(i);
    }
    if (c.getPositionCount() != target.length) {
      // a wrong length is garbage: mark it so the supervisor rejects it
      target[0] = Double.NaN;
    }
    return true;
  }

  /** Operator sequence of the command last used (0 if none). */
  public long operatorSequence() {
    JointCommand c = used;
    return c == null ? 0 : c.getOperatorSequence();
  }
}
