package io.optimus.bridge;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.CommandActionSource;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyActionSource;
import io.optimus.bridge.control.ReplayLibrary;
import io.optimus.bridge.control.Retargeter;
import io.optimus.bridge.control.TeleopActionSource;
import io.optimus.common.InputException;
import java.util.Map;
import java.util.function.Supplier;

/** Makes a bridge's action sources by name: "teleop", "command", "replay:EPISODE_ID", "policy:NAME". */
final class ActionSources {
  private final RobotRig rig;
  private final Retargeter retargeter;
  private final CommandActionSource command;
  private final ReplayLibrary replays;
  private final Map<String, Supplier<Policy>> policies;

  ActionSources(RobotRig rig, Retargeter retargeter, ReplayLibrary replays, Map<String, Supplier<Policy>> policies) {
    this.rig = rig;
    this.retargeter = retargeter;
    this.command = new CommandActionSource(rig.dof());
    this.replays = replays;
    this.policies = Map.copyOf(policies);
  }

  /** The one external-command source (JointCommands feed it whether or not it is active). */
  CommandActionSource command() {
    return command;
  }

  ActionSource make(String spec) {
    if (spec == null || spec.equals("teleop")) {
      if (retargeter == null) {
        throw new InputException("action source 'teleop' needs a retargeter, and this bridge has none");
      }
      return new TeleopActionSource(retargeter, rig.dof());
    }
    if (spec.equals("command")) {
      return command;
    }
    if (spec.startsWith("replay:")) {
      if (replays == null) {
        throw new InputException("replays are off: start the bridge with a replay directory (--replay-dir DIR)");
      }
      return replays.load(spec.substring(7), rig.dof());
    }
    if (spec.startsWith("policy:")) {
      Supplier<Policy> p = policies.get(spec.substring(7));
      if (p == null) {
        throw new InputException("no policy '" + spec.substring(7) + "' (known: " + policies.keySet() + ")");
      }
      return new PolicyActionSource(p.get(), rig.dof());
    }
    throw new InputException("action source '" + spec + "' is unknown: use teleop, command, replay:EPISODE_ID or policy:NAME");
  }

  /** Closes {@code s} unless it is the shared command source. */
  void release(ActionSource s) {
    if (s != null && s != command) {
      s.close();
    }
  }
}
