package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.BridgeLimits;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.bench.BridgeFlood;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.EstopLatch;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e-stop's own path through a flooded bridge, bounded inputs, the worker for slow requests, and
 * bad commands reported once. Everything goes through the real embedded broker from other clients.
 */
class BridgeFastPathTest {
  static EmbeddedBroker broker;
  /** Generous: on a loaded 2-core machine the bound that matters is the one in control ticks. */
  static final long WALL_BOUND_NS = 2_000_000_000L;

  @BeforeAll
  static void up() {
    broker = Brokers.embedded();
  }

  static MqttEndpoint client(String id) {
    return MqttEndpoint.connect(MqttSettings.of(broker.url(), id));
  }

  static RobotBridge bridge(String robot, Path recordDir) {
    return RobotBridge.builder(BridgeOverMqttTest.RIG, BridgeConfig.defaults(robot).withCamera(0)
            .withRecordDir(recordDir))
        .mqtt(MqttSettings.of(broker.url(), "unused"))
        .retargeter(BridgeOverMqttTest.TRIGGER_TO_ELBOW)
        .start();
  }

  /** Sends an e-stop while every topic is flooded and checks how soon it latched, then that no reply was lost. */
  static void floodThenEstop(String robot, Path dir, Consumer<MqttEndpoint> sendEstop, String expectedReason)
      throws Exception {
    Map<String, ControlReply> replies = new ConcurrentHashMap<>();
    try (RobotBridge bridge = bridge(robot, dir); MqttEndpoint watcher = client("watch-" + robot);
        MqttEndpoint estopper = client("estop-" + robot)) {
      watcher.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
      BridgeFlood flood = new BridgeFlood(broker.url(), robot);
      try {
        MqttEndpoint m = bridge.mqtt();
        Await.until(() -> m.oversizeCount() > 20 && m.garbageCount() > 20 && bridge.droppedOperatorEvents() > 1000
            && bridge.refusedCommands() > 20 && bridge.worker().refusedCount() > 0, 15000,
            () -> "the flood to reach the bridge: oversize " + m.oversizeCount() + ", garbage " + m.garbageCount()
                + ", dropped events " + bridge.droppedOperatorEvents() + ", refused commands "
                + bridge.refusedCommands() + ", busy " + bridge.worker().refusedCount() + "; bridge received "
                + m.receivedCount() + " of " + flood.messages() + " flood messages (" + flood.failures()
                + " publishes failed)");
        assertFalse(bridge.supervisor().estopLatched(), "nothing in the flood asks for an e-stop");
        long ticksBefore = bridge.supervisor().ticks();
        long sent = System.nanoTime();
        sendEstop.accept(estopper);
        Await.until(bridge.supervisor()::estopLatched, 30000, () -> "the e-stop to latch; the bridge received "
            + m.receivedCount() + " of " + flood.messages() + " flood messages");
        EstopLatch latch = bridge.supervisor().lastEstopLatch();
        assertTrue(latch.reason().contains(expectedReason), latch.toString());
        assertTrue(latch.arrivalTick() >= ticksBefore, latch.toString());
        assertTrue(latch.ticksWaited() <= 1, "latched " + latch.ticksWaited() + " control ticks after arrival: " + latch);
        assertTrue(latch.latchNs() - sent < WALL_BOUND_NS, "sent -> latched took " + (latch.latchNs() - sent) / 1e6
            + " ms under the flood (" + flood.messages() + " flood messages so far)");
        assertTrue(bridge.loop().isRunning());
      } finally {
        flood.close();
      }
      // every request the flood got out is answered (done, failed, or "busy"): no reply is lost
      Await.until(() -> replies.keySet().containsAll(flood.controlSent()), 60000, () -> {
        Set<String> missing = new java.util.HashSet<>(flood.controlSent());
        missing.removeAll(replies.keySet());
        return "replies to all " + flood.controlSent().size() + " flood requests; missing " + missing.size();
      });
      assertTrue(flood.controlSent().size() > 50, "the flood sent " + flood.controlSent().size() + " requests");
      assertTrue(replies.values().stream().anyMatch(r -> r.getMessage().startsWith("bridge busy")),
          "some were refused as busy");
      assertEquals(0, bridge.mqtt().reconnectCount(), "a 10 MB payload must not cost the bridge its connection");
    }
  }

  @Test
  void anEstopRequestLatchesWithinOneControlTickWhileEveryTopicIsFlooded(@TempDir Path dir) throws Exception {
    floodThenEstop("ff1", dir, c -> c.publish(Topics.control("ff1"), ControlRequest.newBuilder().setSchemaVersion(1)
        .setRequestId("estop").setEstop(EstopRequest.newBuilder().setReason("flood test")).build(), 1, false),
        "e-stop control request: flood test");
  }

  @Test
  void theOperatorsEstopChordLatchesWithinOneControlTickWhileEveryTopicIsFlooded(@TempDir Path dir)
      throws Exception {
    floodThenEstop("ff2", dir, c -> { // the operator holds the chord: it is in every frame at 90 Hz (QoS 0)
      Operator op = new Operator(c, "ff2");
      Thread.ofPlatform().daemon().name("chord").start(() -> {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end && !c.isClosed()) {
          op.send(op.frame(true, 0).setCommands(OperatorCommands.newBuilder().setDeadman(true).setEstop(true)).build());
          java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
        }
      });
    }, "operator e-stop chord");
  }

  @Test
  void aFrameWith200RecordStartsStartsOneRecordingAndDropsAndCountsTheRest(@TempDir Path dir) throws Exception {
    try (RobotBridge bridge = bridge("ev1", dir); MqttEndpoint opClient = client("op-ev1")) {
      Operator op = new Operator(opClient, "ev1");
      OperatorFrame.Builder f = op.frame(false, 0);
      for (int k = 0; k < 200; k++) {
        f.addEvents(op.event(OperatorEventType.OPERATOR_EVENT_RECORD_START));
      }
      OperatorFrame frame = f.build();
      long t0 = System.nanoTime();
      for (int k = 0; k < 3; k++) { // the client repeats a frame's events for ~100 ms
        op.send(frame.toBuilder().setSequence(frame.getSequence() + k).build());
      }
      Await.until(() -> bridge.droppedOperatorEvents() == 199 && bridge.recorder().isRecording(), 10000,
          () -> "one recording and 199 dropped events; dropped " + bridge.droppedOperatorEvents());
      // a frame with more than the cap of other events: the first EVENTS_PER_FRAME are acted on
      OperatorFrame.Builder marks = op.frame(false, 0);
      for (int k = 0; k < 3 * BridgeLimits.EVENTS_PER_FRAME; k++) {
        marks.addEvents(op.event(OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS));
      }
      op.send(marks.setSequence(frame.getSequence() + 10).build()); // after the repeats above
      Await.until(() -> bridge.droppedOperatorEvents() == 199 + 2 * BridgeLimits.EVENTS_PER_FRAME, 10000,
          () -> "the marks beyond the cap dropped; dropped " + bridge.droppedOperatorEvents());
      Await.until(() -> bridge.worker().waiting() == 0, 10000, "the worker to finish");
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(1, files.filter(p -> p.toString().endsWith(".mcap")).count(), "one episode file");
      }
      assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }
  }

  @Test
  void aWrongLengthCommandIsReportedOnceWithItsRealProblemAndTheRobotHolds() throws Exception {
    String robot = "bc1";
    List<SafetyEvent> invalid = new CopyOnWriteArrayList<>();
    int dof = BridgeOverMqttTest.RIG.dof();
    try (MqttEndpoint watcher = client("watch-" + robot);
        RobotBridge bridge = RobotBridge.builder(BridgeOverMqttTest.RIG, BridgeConfig.defaults(robot).withCamera(0)
                .withUnattended(true).withSource("command"))
            .mqtt(MqttSettings.of(broker.url(), "unused"))
            .start();
        MqttEndpoint commander = client("cmd-" + robot)) {
      watcher.subscribe(Topics.safetyEvent(robot), 1, SafetyEvent.parser(), (t, e) -> {
        if (e.getType() == SafetyEventType.SAFETY_EVENT_INVALID_INPUT) {
          invalid.add(e);
        }
      });
      JointCommand.Builder good = JointCommand.newBuilder();
      for (double q : BridgeOverMqttTest.RIG.home()) {
        good.addPosition(q);
      }
      JointCommand.Builder wrong = JointCommand.newBuilder();
      for (int k = 0; k < 12; k++) {
        wrong.addPosition(0);
      }
      commander.publish(Topics.command(robot), good.setSequence(1).build(), 0, false);
      int sent = 250;
      for (int k = 0; k < sent; k++) { // one second of a commander sending 12 joints at 250 Hz
        commander.publish(Topics.command(robot), wrong.setSequence(2 + k).build(), 0, false);
        java.util.concurrent.locks.LockSupport.parkNanos(4_000_000L);
      }
      Await.until(() -> bridge.refusedCommands() > sent / 2, 10000, () -> "refused " + bridge.refusedCommands());
      long ticks = bridge.supervisor().ticks();
      Await.until(() -> bridge.supervisor().ticks() > ticks + 100, 10000, "the loop to run on the bad command");
      commander.publish(Topics.command(robot), good.setSequence(1000).build(), 0, false); // good again
      String expected = "JointCommand has 12 positions, robot has " + dof + " joints";
      Await.until(() -> invalid.size() >= 2, 10000, () -> "the closing report; events: " + invalid);
      Thread.sleep(300); // would let any per-tick reports pile up
      assertEquals(2, invalid.size(), () -> "one report at the start and one at the end: " + invalid);
      assertEquals(expected, invalid.get(0).getDetail());
      String end = invalid.get(1).getDetail();
      assertTrue(end.startsWith(expected + " (ended: ") && end.contains(" repeats in "), end);
      long repeats = Long.parseLong(end.replaceAll(".*\\(ended: (\\d+) repeats.*", "$1"));
      assertEquals(bridge.refusedCommands() - 1, repeats, end);
      assertTrue(invalid.stream().noneMatch(e -> e.getDetail().contains("non-finite")), invalid.toString());
      assertEquals(io.optimus.proto.v1.ControlMode.CONTROL_MODE_ENGAGED, bridge.supervisor().mode());
    }
  }
}
