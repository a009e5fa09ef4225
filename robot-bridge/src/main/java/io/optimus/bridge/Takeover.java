package io.optimus.bridge;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.BlendedSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.common.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator taking the robot over from the driving source (a policy) with one action, and handing
 * it back. Either switch blends from the command in force ({@link BlendedSource}), so the commanded
 * positions do not jump; the supervisor's limits bound each step besides. The source taken over from
 * is kept (not closed) until it gets the robot back. Refused during an e-stop and without an engaged
 * operator (streaming, deadman held): the reason is returned.
 */
final class Takeover {
  private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);
  /** How long a switch blends from the command in force to the new source's target. */
  static final double BLEND_S = 0.5;

  private final BridgeConfig config;
  private final SafetySupervisor supervisor;
  private final ActionSources sources;
  private final ControlLoop loop;
  private final BridgeEngine engine;
  private final int dof;
  private ActionSource displaced;

  Takeover(BridgeConfig config, SafetySupervisor supervisor, ActionSources sources, ControlLoop loop,
      BridgeEngine engine, int dof) {
    this.config = config;
    this.supervisor = supervisor;
    this.sources = sources;
    this.loop = loop;
    this.engine = engine;
    this.dof = dof;
  }

  synchronized boolean active() {
    return displaced != null;
  }

  /** The operator takes over (teleoperation); null when done, else why not. */
  synchronized String takeOver(long nowNs, String who, String reason) {
    if (supervisor.estopLatched()) {
      return "takeover refused: the e-stop is latched (reset it first)";
    }
    if (displaced != null) {
      return "takeover refused: the operator has already taken over (hand back first)";
    }
    ActionSource from = loop.source();
    if (from == null || from.name().equals("teleop")) {
      return "takeover refused: the operator already drives (source '" + (from == null ? "" : from.name()) + "')";
    }
    String why = supervisor.operatorTakesOver(nowNs);
    if (why != null) {
      return "takeover refused: " + why;
    }
    ActionSource teleop;
    try {
      teleop = sources.make("teleop");
    } catch (InputException e) {
      return "takeover refused: " + e.getMessage();
    }
    displaced = from;
    loop.setSource(new BlendedSource(teleop, BLEND_S, dof));
    String what = who + " took over from " + from.name() + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    engine.interventionStarted(nowNs, what);
    LOG.info("robot {}: {}", config.robotId(), what);
    return null;
  }

  /** Gives the robot back to the source taken over from; null when done, else why not. */
  synchronized String handBack(long nowNs, String who) {
    if (displaced == null) {
      return "hand back refused: the operator has not taken over";
    }
    if (supervisor.estopLatched()) {
      return "hand back refused: the e-stop is latched (reset it first)";
    }
    ActionSource operator = loop.source();
    ActionSource back = displaced instanceof BlendedSource b ? b.inner() : displaced;
    displaced = null;
    loop.setSource(new BlendedSource(back, BLEND_S, dof));
    sources.release(operator);
    if (config.unattended()) {
      supervisor.engageUnattended(nowNs, "handed back to " + back.name());
    }
    String what = who + " handed back to " + back.name();
    engine.interventionEnded(nowNs, what);
    LOG.info("robot {}: {}", config.robotId(), what);
    return null;
  }

  /**
   * A set_action_source request chose a new source meanwhile: the takeover ends there, and the source
   * taken over from is released. Called with the new source already in place.
   */
  synchronized void replaced(long nowNs) {
    if (displaced != null) {
      sources.release(displaced);
      displaced = null;
      engine.interventionEnded(nowNs, "the action source was set to " + loop.source().name());
    }
  }
}
