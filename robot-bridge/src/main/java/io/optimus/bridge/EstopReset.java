package io.optimus.bridge;

import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.safety.SafetySupervisor;

/**
 * The one place an e-stop is reset (the owning operator's held chord, the bridge's console, or a
 * supervisor on its own supervise topic): refused while a link is lost or the cause of the stop
 * persists (the operator holds the e-stop chord, the driver reports a fault), and a supervisor's reset
 * only for the latch it names. Motion after any reset needs the operator's deliberate deadman press.
 */
final class EstopReset {
  private final SafetySupervisor supervisor;
  private final OperatorInbox inbox;
  private final MqttEndpoint mqtt;

  EstopReset(SafetySupervisor supervisor, OperatorInbox inbox, MqttEndpoint mqtt) {
    this.supervisor = supervisor;
    this.inbox = inbox;
    this.mqtt = mqtt;
  }

  /** Returns null when reset (or nothing was latched), else why not (also raised as an event). */
  String reset(long now, String who) {
    return reset(now, who, -1);
  }

  /**
   * A supervisor's remote reset ({@code user} from the topic) of latch number {@code latch}
   * (SafetyStatus.estop_latches as it saw it): refused when it names none or the e-stop latched again since.
   */
  String resetBySupervisor(long now, String user, long latch) {
    String who = "supervisor '" + user + "'";
    if (latch <= 0 && supervisor.estopLatched()) {
      return refused(now, who, "the request names no latch: set estop_reset.latch to SafetyStatus.estop_latches");
    }
    return reset(now, who + " (latch " + latch + ")", latch);
  }

  private String reset(long now, String who, long latch) {
    if (!supervisor.estopLatched()) {
      return null;
    }
    String why = linkProblem(now);
    if (why == null) {
      why = supervisor.resetEstop(now, latch, "reset by " + who);
    }
    return why == null ? null : refused(now, who, why);
  }

  private String refused(long now, String who, String why) {
    supervisor.resetRefused(now, "e-stop reset by " + who + " refused: " + why);
    return why;
  }

  /** A lost link makes a reset blind: nothing could stop the robot again through it. */
  private String linkProblem(long now) {
    if (mqtt != null && !mqtt.isConnected()) {
      return "the broker link is down";
    }
    if (inbox.linkLost(now)) {
      return "the operator link is lost (its frames stopped or its Last Will arrived): the operator must be"
          + " streaming again";
    }
    return null;
  }
}
