package io.optimus.bridge.control;

import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointCommand;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An external commander publishing {@link JointCommand}s (topic {@code .../command}): the newest
 * command's positions are the target. A command of the wrong length is refused where it arrives
 * ({@link #offer} names the problem) and leaves no target, so the robot holds (brakes to a stop)
 * until a good command comes; it never continues towards an older one.
 */
public final class CommandActionSource implements ActionSource {
  /** Stands for "the newest command was refused": hold. */
  private static final JointCommand REFUSED = JointCommand.getDefaultInstance();

  private final int dof;
  private final AtomicReference<JointCommand> latest = new AtomicReference<>();
  private JointCommand used;

  /** @param dof joints of the robot; commands must have exactly this many positions */
  public CommandActionSource(int dof) {
    this.dof = dof;
  }

  /**
   * From any thread (the MQTT handler). Returns null when the command was taken, else what is wrong
   * with it (the robot then holds).
   */
  public String offer(JointCommand c) {
    if (c.getPositionCount() != dof) {
      latest.set(REFUSED);
      return "JointCommand has " + c.getPositionCount() + " positions, robot has " + dof + " joints";
    }
    latest.set(c);
    return null;
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
    if (c == null || c == REFUSED) {
      return false;
    }
    used = c;
    for (int i = 0; i < target.length; i++) {
      target[i] = c.getPosition(i);
    }
    return true;
  }

  /** Operator sequence of the command last used (0 if none). */
  public long operatorSequence() {
    JointCommand c = used;
    return c == null ? 0 : c.getOperatorSequence();
  }
}
