package io.optimus.bridge;

import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.common.Stamps;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervisors' requests ({@code optimus/v1/R/supervise/USER}; the broker lets only supervisor USER
 * publish there, so the topic names who asks, never the payload): an e-stop (latched on arrival, on
 * both connections) or an e-stop reset of the latch it names ({@link EstopReset}); anything else is
 * refused. Each is answered on {@code control/reply}. Quick work only: runs on the MQTT thread.
 */
final class SupervisorRequests {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorRequests.class);

  private final String robotId;
  private final SafetySupervisor supervisor;
  private final EstopFastPath estops;
  private final EstopReset reset;
  private final BridgeOutputs outputs;

  SupervisorRequests(String robotId, SafetySupervisor supervisor, EstopFastPath estops, EstopReset reset,
      BridgeOutputs outputs) {
    this.robotId = robotId;
    this.supervisor = supervisor;
    this.estops = estops;
    this.reset = reset;
    this.outputs = outputs;
  }

  void onRequest(String topic, ControlRequest r, byte[] correlation) {
    outputs.reply(handle(topic, r), correlation);
  }

  /** Executes a request that arrived on {@code topic} and says how it went. */
  ControlReply handle(String topic, ControlRequest r) {
    String user = Topics.supervisor(robotId, topic);
    ControlReply.Builder b = ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
        .setStamp(Stamps.now()).setOk(true);
    if (user == null) { // not under our subscription: cannot happen, never trusted either
      return b.setOk(false).setMessage("topic " + topic + " is not a supervise topic of robot " + robotId).build();
    }
    estops.latchIfSupervisorEstop(user, r, System.nanoTime(), supervisor.ticks()); // first, as on the control topic
    switch (r.getRequestCase()) {
      case ESTOP -> { } // latched above, once
      case ESTOP_RESET -> {
        String why = reset.resetBySupervisor(System.nanoTime(), user, r.getEstopReset().getLatch());
        if (why != null) {
          b.setOk(false).setMessage("e-stop reset refused: " + why);
        }
      }
      default -> {
        String what = r.getRequestCase() == ControlRequest.RequestCase.REQUEST_NOT_SET ? "an empty request"
            : r.getRequestCase().name().toLowerCase(java.util.Locale.ROOT);
        LOG.warn("robot {}: supervisor '{}' sent {}: refused", robotId, user, what);
        b.setOk(false).setMessage("refused: supervisor '" + user + "' may only e-stop or reset the e-stop on "
            + topic + ", not " + what);
      }
    }
    return b.build();
  }
}
