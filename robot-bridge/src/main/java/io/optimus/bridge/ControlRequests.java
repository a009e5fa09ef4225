package io.optimus.bridge;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.safety.SafetySupervisor;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's control requests ({@code control} topic, or in-process): e-stop (latched on arrival,
 * answered at once), e-stop reset (always refused: only the operator's chord, the console or a supervisor may),
 * recording, action source and task reset. Slow ones run in order on the {@link RequestWorker}; each
 * is answered on {@code control/reply}.
 */
final class ControlRequests {
  private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

  private final BridgeConfig config;
  private final SafetySupervisor supervisor;
  private final EstopFastPath estops;
  private final RequestWorker worker;
  private final BridgeOutputs outputs;
  private final BridgeRecording recording;
  private final ActionSources sources;
  private final ControlLoop loop;
  private final TaskWorld world;
  private final Supplier<String> operatorId;
  private final BridgeEngine engine;
  private final Takeover takeover;
  /** Counts set_action_source requests: a replay that finishes loading after a newer request is dropped. */
  /** How long an operator's takeover waits for the loop to take the frame carrying it (a few ticks). */
  private static final long FRAME_TAKEN_WAIT_NS = 100_000_000L;
  private final AtomicLong sourceRequests = new AtomicLong();

  ControlRequests(BridgeConfig config, SafetySupervisor supervisor, EstopFastPath estops, RequestWorker worker,
      BridgeOutputs outputs, BridgeRecording recording, ActionSources sources, ControlLoop loop, TaskWorld world,
      Supplier<String> operatorId, BridgeEngine engine, Takeover takeover) {
    this.config = config;
    this.supervisor = supervisor;
    this.estops = estops;
    this.worker = worker;
    this.outputs = outputs;
    this.recording = recording;
    this.sources = sources;
    this.loop = loop;
    this.world = world;
    this.operatorId = operatorId;
    this.engine = engine;
    this.takeover = takeover;
  }

  /** A request from MQTT (its thread): quick ones answered here, slow ones queued on the worker. */
  void onRequest(ControlRequest r, byte[] correlation) {
    estops.latchIfEstop(r, System.nanoTime(), supervisor.ticks()); // also here, first, should the e-stop connection be down
    long ticket = sourceTicket(r); // taken on arrival: a replay still loading is superseded by a newer request
    switch (r.getRequestCase()) {
      case ESTOP -> outputs.reply(ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
          .setStamp(Stamps.now()).setOk(true).build(), correlation); // latched above, once
      case ESTOP_RESET, REQUEST_NOT_SET -> outputs.reply(handle(r, ticket), correlation);
      default -> {
        if (!offload("control request " + r.getRequestCase(), () -> outputs.reply(handleOrReport(r, ticket), correlation))) {
          outputs.reply(ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
              .setStamp(Stamps.now()).setOk(false).setMessage("bridge busy: " + BridgeLimits.WORKER_QUEUE
                  + " requests are waiting; try again").build(), correlation);
        }
      }
    }
  }

  /** Runs a slow job on the worker, in order; false when its queue is full (the caller says so). */
  boolean offload(String what, Runnable job) {
    return worker.submit(what + " on " + config.robotId(), job);
  }

  /**
   * The owning operator's takeover or hand-back event (only its session's frames get here), run on the
   * worker; answered on control/reply as "operator-event-ID" so the client's HUD can show a refusal.
   */
  void takeoverEvent(io.optimus.proto.v1.OperatorEvent e, String operator, long frameSequence) {
    boolean back = e.getType() == io.optimus.proto.v1.OperatorEventType.OPERATOR_EVENT_HAND_BACK;
    offload("operator " + (back ? "hand back" : "takeover"), () -> {
      // judged with the deadman of the frame that asked (the loop takes it at its next tick): a takeover
      // in a session's first frame would otherwise see the deadman the new session cleared
      long until = System.nanoTime() + FRAME_TAKEN_WAIT_NS;
      while (!supervisor.tookOperatorFrame(frameSequence) && System.nanoTime() < until) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
      }
      long now = System.nanoTime();
      String who = "operator '" + operator + "'";
      String refused = back ? takeover.handBack(now, who) : takeover.takeOver(now, who, e.getText());
      if (refused != null) {
        LOG.warn("robot {}: {}", config.robotId(), refused);
      }
      outputs.reply(ControlReply.newBuilder().setSchemaVersion(1)
          .setRequestId("operator-event-" + Long.toUnsignedString(e.getEventId())).setStamp(Stamps.now())
          .setOk(refused == null).setMessage(refused == null ? "" : refused).build(), null);
      outputs.presence(true);
    });
  }

  private long sourceTicket(ControlRequest r) {
    return r.getRequestCase() == ControlRequest.RequestCase.SET_ACTION_SOURCE ? sourceRequests.incrementAndGet() : -1;
  }

  /** {@link #handle}, answering a failure that is not an InputException too (off the MQTT thread nobody else would). */
  private ControlReply handleOrReport(ControlRequest r, long ticket) {
    try {
      return handle(r, ticket);
    } catch (RuntimeException e) {
      LOG.error("control request {} failed", r.getRequestId(), e);
      return ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId()).setStamp(Stamps.now())
          .setOk(false).setMessage("failed: " + e).build();
    }
  }

  /** Executes a request on the calling thread and says how it went. */
  ControlReply handle(ControlRequest r) {
    return handle(r, sourceTicket(r));
  }

  private ControlReply handle(ControlRequest r, long sourceTicket) {
    ControlReply.Builder b = ControlReply.newBuilder().setSchemaVersion(1).setRequestId(r.getRequestId())
        .setStamp(Stamps.now()).setOk(true);
    long now = System.nanoTime();
    try {
      switch (r.getRequestCase()) {
        case ESTOP -> supervisor.estop(now, "control request from '" + r.getRequester() + "': " + r.getEstop().getReason());
        case ESTOP_RESET -> {
          // anyone who can publish a control request (a deployed policy, a script) could send this
          String why = "only the engaged operator (reset chord, left X + Y held 1 s), the bridge's console or a"
              + " supervisor (its supervise topic) may reset the e-stop, not a control request";
          if (supervisor.estopLatched()) {
            supervisor.resetRefused(now, "e-stop reset by control request from '" + r.getRequester() + "' refused: "
                + why);
          }
          b.setOk(false).setMessage("e-stop reset refused: " + why);
        }
        case START_RECORDING -> {
          var s = r.getStartRecording();
          b.setEpisodePath(recording.start(s.getOperatorId().isEmpty() ? operatorId.get() : s.getOperatorId(),
              s.getTask(), s.getNotes()).toString());
        }
        case STOP_RECORDING -> {
          var s = r.getStopRecording();
          EpisodeSummary sum = recording.stop(s.getOutcome(), s.getNotes());
          b.setEpisodePath(sum.file().toString());
          if (!sum.ok()) {
            b.setOk(false).setMessage("recording ended with an error: " + sum.error());
          }
        }
        case SET_ACTION_SOURCE -> setSource(r, sourceTicket, now);
        case TAKEOVER -> {
          String who = "control request from '" + r.getRequester() + "'";
          String refused = r.getTakeover().getHandBack() ? takeover.handBack(now, who)
              : takeover.takeOver(now, who, r.getTakeover().getReason());
          if (refused != null) {
            b.setOk(false).setMessage(refused);
          }
          outputs.presence(true);
        }
        case RESET_TASK -> {
          if (world == null) {
            throw new InputException("this bridge runs no task world");
          }
          synchronized (world) {
            world.reset(r.getResetTask().getSeed());
          }
          loop.returnHome(); // a simulated robot starts the new layout from its home pose, as the first one
        }
        default -> throw new InputException("empty control request");
      }
    } catch (InputException e) {
      b.setOk(false).setMessage(e.getMessage());
    }
    return b.build();
  }

  private void setSource(ControlRequest r, long sourceTicket, long now) {
    if (r.getSetActionSource().getShadow()) {
      shadow(r.getSetActionSource().getSource());
      return;
    }
    ActionSource s = sources.make(r.getSetActionSource().getSource());
    synchronized (sourceRequests) {
      if (sourceTicket != sourceRequests.get()) { // loaded too late: a newer request already chose
        sources.release(s);
        throw new InputException("superseded: a later set_action_source request arrived while this one"
            + " was loading");
      }
      ActionSource old = loop.source();
      loop.setSource(s);
      if (old != s) {
        sources.release(old);
      }
      if (config.unattended()) {
        supervisor.engageUnattended(now, "action source " + s.name());
      }
      takeover.replaced(now);
    }
    outputs.presence(true);
  }

  /**
   * A shadow beside the driving source: "policy:NAME" starts recording the predictions it publishes on
   * the shadow topic (never actuated), "" or "off" stops it.
   */
  private void shadow(String source) {
    if (source.isEmpty() || source.equals("off")) {
      engine.shadow().disarm();
    } else if (source.length() > 100 || !source.matches("policy:[A-Za-z0-9_.:@+-]+")) {
      throw new InputException("shadow source '" + source + "' is invalid: use policy:NAME (or off)");
    } else {
      engine.shadow().arm(source);
      LOG.info("robot {}: shadow {} recorded beside {}", config.robotId(), source,
          loop.source() == null ? "nothing" : loop.source().name());
    }
    outputs.presence(true);
  }
}
