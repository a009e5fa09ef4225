package io.optimus.bridge.engine;

import static io.optimus.bridge.engine.EngineRig.ELBOW;
import static io.optimus.bridge.engine.EngineRig.RIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyObservation;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator takes over from a policy driving unattended, and hands back, over the embedded broker. */
class TakeoverTest {
  /** Bends the right elbow to -1.0 rad; the operator's trigger 0 wants it at 0. */
  static final class ElbowPolicy implements Policy {
    @Override
    public String name() {
      return "elbow";
    }

    @Override
    public double rateHz() {
      return 30;
    }

    @Override
    public void act(PolicyObservation o, double[] out) {
      System.arraycopy(RIG.home(), 0, out, 0, out.length);
      out[ELBOW] = -1.0;
    }
  }

  static RobotBridge bridge(String robot, Path dir, EmbeddedBroker broker) {
    return RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withRecordDir(dir).withCamera(0).withUnattended(true)
            .withSource("policy:elbow"))
        .mqtt(MqttSettings.of(broker.url(), "unused")).retargeter(EngineRig.TRIGGER_TO_ELBOW)
        .policy("elbow", ElbowPolicy::new).start();
  }

  static double elbowCommand(RobotBridge b) {
    double[] q = new double[RIG.dof()];
    b.supervisor().commanded(q, null);
    return q[ELBOW];
  }

  @Test
  void takeoverAndHandBackDoNotJumpAndTheCorrectionIsMarkedAndClipped(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "take1";
    try (RobotBridge b = bridge(robot, dir, broker);
        MqttEndpoint opLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-" + robot));
        EngineRig.Requests req = new EngineRig.Requests(opLink, robot)) {
      Await.until(() -> Math.abs(elbowCommand(b) + 1.0) < 0.01, 5000, "the policy drives the elbow to -1.0");
      ControlReply nobody = req.takeover(false);
      assertFalse(nobody.getOk());
      assertTrue(nobody.getMessage().contains("no engaged operator"), nobody.getMessage());
      ControlReply notTaken = req.takeover(true);
      assertFalse(notTaken.getOk());
      assertTrue(notTaken.getMessage().contains("has not taken over"), notTaken.getMessage());

      try (EngineRig.Streaming op = new EngineRig.Streaming(new Operator(opLink, robot))) {
        op.trigger = 0; // supervising, deadman held: the operator wants the elbow straight (0 rad)
        op.deadman = true;
        LockSupport.parkNanos(200_000_000L);
        assertTrue(req.send(ControlRequest.newBuilder().setStartRecording(StartRecordingRequest.getDefaultInstance()))
            .getOk());
        LockSupport.parkNanos(300_000_000L);
        assertEquals(-1.0, elbowCommand(b), 0.01, "the policy still drives while the operator supervises");
        ControlReply took = req.takeover(false);
        assertTrue(took.getOk(), took.getMessage());
        assertEquals("teleop", b.loop().source().name());
        Await.until(() -> Math.abs(elbowCommand(b)) < 0.01, 5000, "the operator straightens the elbow");
        ControlReply twice = req.takeover(false);
        assertFalse(twice.getOk());
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());
        ControlReply back = req.takeover(true);
        assertTrue(back.getOk(), back.getMessage());
        Await.until(() -> Math.abs(elbowCommand(b) + 1.0) < 0.01, 5000, "the policy drives again");
        assertEquals("policy:elbow", b.loop().source().name());
        ControlReply stop = req.send(ControlRequest.newBuilder().setStopRecording(StopRecordingRequest.getDefaultInstance()));
        assertTrue(stop.getOk(), stop.getMessage());
        b.flushClips();
        Path episode = Path.of(stop.getEpisodePath());

        List<JointState> states = EngineRig.states(episode);
        JointLimitTable limits = b.supervisor().limits();
        int switches = 0;
        double worst = 0;
        for (int k = 1; k < states.size(); k++) {
          JointState prev = states.get(k - 1);
          JointState s = states.get(k);
          if (!s.getActionSource().equals(prev.getActionSource())) {
            switches++;
          }
          double dt = (s.getStamp().getMonotonicNs() - prev.getStamp().getMonotonicNs()) / 1e9;
          for (int i = 0; i < RIG.dof(); i++) {
            double step = Math.abs(s.getCommandedPosition(i) - prev.getCommandedPosition(i));
            double allowed = limits.velocity(i) * dt;
            worst = Math.max(worst, step / allowed);
            assertTrue(step <= allowed + 1e-9, "tick " + s.getSequence() + " (" + prev.getActionSource() + " -> "
                + s.getActionSource() + "): joint " + limits.name(i) + " stepped " + step + " rad, the limiter allows "
                + allowed);
          }
        }
        assertEquals(2, switches, "policy -> teleop -> policy");
        assertTrue(worst > 0.1, "the switches moved the elbow (worst step " + worst + " of the limiter's)");
        List<String> marks = EngineRig.frames(episode, "/annotation").stream().map(f -> f.as(Annotation.class))
            .filter(a -> a.getKind().equals("intervention")).map(Annotation::getText).toList();
        assertEquals(2, marks.size(), marks.toString());
        assertTrue(marks.get(0).startsWith("intervention start") && marks.get(1).startsWith("intervention end"), marks.toString());
        List<Clip> clips = ClipQueue.in(dir).list().stream().filter(c -> c.trigger() == ClipTrigger.TAKEOVER).toList();
        assertEquals(1, clips.size(), clips.toString());
        Clip c = clips.get(0);
        assertEquals(EngineRig.episodeId(episode), c.episodeId());
        long teleopFrom = states.stream().filter(s -> s.getActionSource().equals("teleop")).findFirst().orElseThrow()
            .getStamp().getMonotonicNs();
        // tick stamps are the loop's schedule, which may run a little behind the clock on a loaded machine
        assertTrue(Math.abs(teleopFrom - c.startNs()) < 100_000_000L, c + " vs first teleop tick " + teleopFrom);
        assertTrue(c.durationS() > 0.2, c.toString());
      }
    }
  }

  @Test
  void theOperatorTakesOverWithOneEventAndNotDuringAnEstop(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "take2";
    try (RobotBridge b = bridge(robot, dir, broker);
        MqttEndpoint opLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-" + robot));
        EngineRig.Requests req = new EngineRig.Requests(opLink, robot);
        EngineRig.Streaming op = new EngineRig.Streaming(new Operator(opLink, robot, "ann", "s1"))) {
      op.deadman = true;
      Await.until(() -> Math.abs(elbowCommand(b) + 1.0) < 0.01, 5000, "the policy drives the elbow to -1.0");
      var take = op.op.event(OperatorEventType.OPERATOR_EVENT_TAKEOVER);
      op.event = take;
      Await.until(() -> req.replies.containsKey("operator-event-" + take.getEventId()), 5000, "the takeover's answer");
      ControlReply taken = req.replies.get("operator-event-" + take.getEventId());
      assertTrue(taken.getOk(), taken.getMessage());
      assertEquals("teleop", b.loop().source().name());
      var back = op.op.event(OperatorEventType.OPERATOR_EVENT_HAND_BACK);
      op.event = back;
      Await.until(() -> req.replies.containsKey("operator-event-" + back.getEventId()), 5000, "the hand-back's answer");
      ControlReply handed = req.replies.get("operator-event-" + back.getEventId());
      assertTrue(handed.getOk(), handed.getMessage());
      assertEquals("policy:elbow", b.loop().source().name());

      assertTrue(req.send(ControlRequest.newBuilder().setEstop(EstopRequest.newBuilder().setReason("test"))).getOk());
      ControlReply r = req.takeover(false);
      assertFalse(r.getOk());
      assertTrue(r.getMessage().contains("e-stop"), r.getMessage());
      var refused = op.op.event(OperatorEventType.OPERATOR_EVENT_TAKEOVER);
      op.event = refused;
      Await.until(() -> req.replies.containsKey("operator-event-" + refused.getEventId()), 5000, "a refusal");
      ControlReply e = req.replies.get("operator-event-" + refused.getEventId());
      assertFalse(e.getOk());
      assertTrue(e.getMessage().contains("e-stop"), e.getMessage());
      assertEquals("policy:elbow", b.loop().source().name(), "nothing switched");
    }
  }

  @Test
  void aTakeoverInTheSessionsFirstFramesCountsTheirDeadman(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "take3";
    try (RobotBridge b = bridge(robot, dir, broker);
        MqttEndpoint opLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-" + robot));
        EngineRig.Requests req = new EngineRig.Requests(opLink, robot)) {
      Await.until(() -> Math.abs(elbowCommand(b) + 1.0) < 0.01, 5000, "the policy drives the elbow to -1.0");
      Operator operator = new Operator(opLink, robot, "ann", "s1");
      var take = operator.event(OperatorEventType.OPERATOR_EVENT_TAKEOVER);
      // the session's very first frame holds the deadman and asks to take over: the event arrives
      // before the loop has seen that deadman (a new session clears it), and must still be judged with it
      try (EngineRig.Streaming op = new EngineRig.Streaming(operator, true, take)) {
        Await.until(() -> req.replies.containsKey("operator-event-" + take.getEventId()), 5000, "the takeover's answer");
        ControlReply r = req.replies.get("operator-event-" + take.getEventId());
        assertTrue(r.getOk(), r.getMessage());
        assertEquals("teleop", b.loop().source().name());
      }
    }
  }
}
