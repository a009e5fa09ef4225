package io.optimus.bridge;

import io.optimus.bridge.control.OperatorInbox;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.safety.SafetySupervisor;

/**
 * The one place an e-stop is reset (the owning operator's held chord, or the bridge's console):
 * refused while a link is lost or the operator holds the e-stop chord.
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
    if (!supervisor.estopLatched()) {
      return null;
    }
    String why = linkProblem(now);
    if (why == null && !supervisor.resetEstop(now, "reset by " + who)) {
      why = "the operator still holds the e-stop chord";
    }
    if (why != null) {
      supervisor.resetRefused(now, "e-stop reset by " + who + " refused: " + why);
    }
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
