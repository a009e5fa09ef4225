package io.optimus.bridge.engine;

import io.optimus.bridge.control.Retargeter;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Operator;
import io.optimus.common.Stamps;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.TakeoverRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/** Shared pieces of the data-engine tests: the robot, a trigger-to-elbow retargeter, requests, recordings. */
final class EngineRig {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final int ELBOW = RIG.model().qIndex("right_elbow_joint");

  /** Right trigger 0..1 bends the right elbow 0..-1.5 rad; everything else stays home. */
  static final Retargeter TRIGGER_TO_ELBOW = (frame, dt, qCurrent, qOut) -> {
    human(frame.getRight().getTrigger(), qOut);
  };

  private EngineRig() {}

  /** What the human's trigger commands (see {@link #TRIGGER_TO_ELBOW}). */
  static double[] human(double trigger, double[] out) {
    System.arraycopy(RIG.home(), 0, out, 0, out.length);
    out[ELBOW] = -1.5 * trigger;
    return out;
  }

  /** Control requests over MQTT, answered on control/reply. */
  static final class Requests implements AutoCloseable {
    final MqttEndpoint mqtt;
    final String robot;
    final Map<String, ControlReply> replies = new ConcurrentHashMap<>();
    private int n;

    Requests(MqttEndpoint mqtt, String robot) {
      this.mqtt = mqtt;
      this.robot = robot;
      mqtt.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
    }

    ControlReply send(ControlRequest.Builder r) {
      ControlRequest req = r.setSchemaVersion(1).setRequestId("req-" + (++n)).setRequester("test").setStamp(Stamps.now())
          .build();
      mqtt.publishAndWait(Topics.control(robot), req, 1, false);
      Await.until(() -> replies.containsKey(req.getRequestId()), 10_000, "reply to " + req.getRequestCase());
      return replies.get(req.getRequestId());
    }

    ControlReply shadow(String source) {
      return send(ControlRequest.newBuilder().setSetActionSource(SetActionSourceRequest.newBuilder().setSource(source)
          .setShadow(true)));
    }

    ControlReply takeover(boolean handBack) {
      return send(ControlRequest.newBuilder().setTakeover(TakeoverRequest.newBuilder().setHandBack(handBack)
          .setReason("test")));
    }

    @Override
    public void close() {
      mqtt.close();
    }
  }

  /** An operator streaming ~90 Hz frames on its own thread (deadman and trigger as set) until closed. */
  static final class Streaming implements AutoCloseable {
    final Operator op;
    volatile boolean deadman;
    volatile float trigger;
    /** An event to carry in the next frames (~100 ms, as the client repeats them), or null. */
    volatile io.optimus.proto.v1.OperatorEvent event;
    private volatile boolean run = true;
    private final Thread thread;

    Streaming(Operator op) {
      this(op, false, null);
    }

    /** Streams from the first frame with {@code deadmanHeld} and {@code firstEvent} (or none) carried. */
    Streaming(Operator op, boolean deadmanHeld, io.optimus.proto.v1.OperatorEvent firstEvent) {
      this.op = op;
      this.deadman = deadmanHeld;
      this.event = firstEvent;
      thread = Thread.ofPlatform().daemon().name("test-operator").start(() -> {
        long eventUntil = 0;
        io.optimus.proto.v1.OperatorEvent sent = null;
        while (run) {
          var f = op.frame(deadman, trigger);
          var e = event;
          if (e != null && e != sent) {
            sent = e;
            eventUntil = System.nanoTime() + 100_000_000L;
          }
          if (sent != null && System.nanoTime() < eventUntil) {
            f.addEvents(sent);
          }
          op.send(f.build());
          LockSupport.parkNanos(11_000_000L);
        }
      });
    }

    /** Releases the deadman for 0.1 s, then holds it with {@code trigger}. */
    Streaming engage(float trigger) {
      this.trigger = trigger;
      deadman = false;
      LockSupport.parkNanos(150_000_000L);
      deadman = true;
      return this;
    }

    @Override
    public void close() throws InterruptedException {
      run = false;
      thread.join();
    }
  }

  /** Streams ~90 Hz operator frames for {@code ms}. */
  static void stream(Operator op, boolean deadman, float trigger, long ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      op.send(deadman, trigger);
      LockSupport.parkNanos(11_000_000L);
    }
  }

  /** Every message of {@code topic} in {@code episode}, in log-time order. */
  static List<EpisodeFrame> frames(Path episode, String topic) throws Exception {
    List<EpisodeFrame> out = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(episode)) {
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic)); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  static List<JointState> states(Path episode) throws Exception {
    return frames(episode, "/state").stream().map(f -> f.as(JointState.class)).toList();
  }

  static String episodeId(Path episode) throws Exception {
    try (EpisodeReader r = EpisodeReader.open(episode)) {
      return r.header().getEpisodeId();
    }
  }
}
