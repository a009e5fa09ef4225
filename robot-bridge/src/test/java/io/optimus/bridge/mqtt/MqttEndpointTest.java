package io.optimus.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.testing.Await;
import io.optimus.common.InputException;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoint against a real, in-process HiveMQ CE broker. */
class MqttEndpointTest {
  /** Shared by the test JVM (see Brokers.embedded). */
  static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = io.optimus.bridge.testing.Brokers.embedded();
  }

  private static MqttEndpoint client(String id) {
    return MqttEndpoint.connect(MqttSettings.of(broker.url(), id));
  }

  @Test
  void operatorFramesRoundTripAndGarbageIsCountedNotFatal() {
    List<OperatorFrame> got = new CopyOnWriteArrayList<>();
    try (MqttEndpoint bridge = client("rt-bridge"); MqttEndpoint op = client("rt-op")) {
      bridge.subscribe(Topics.operator("rt"), MqttEndpoint.QOS_STREAM, OperatorFrame.parser(), (t, f) -> got.add(f));
      op.publish(Topics.operator("rt"), new byte[] {(byte) 0xff, 0x13, 0x37, 0x00, (byte) 0x80}, 0, false, 1);
      op.publish(Topics.operator("rt"), "{not protobuf}".getBytes(), 0, false, 1);
      op.publishOperatorFrame("rt", OperatorFrame.newBuilder().setSequence(42).setOperatorId("alice").build());
      Await.until(() -> got.size() == 1, 5000, "the valid frame");
      Await.until(() -> bridge.garbageCount() >= 1, 5000, "garbage to be counted");
      assertEquals(42, got.get(0).getSequence());
      assertTrue(bridge.isConnected(), "garbage must not cost the connection");
      // and the stream keeps flowing afterwards
      op.publishOperatorFrame("rt", OperatorFrame.newBuilder().setSequence(43).build());
      Await.until(() -> got.size() == 2, 5000, "the frame after the garbage");
    }
  }

  @Test
  void aThrowingHandlerIsCountedAndTheLoopContinues() {
    List<Long> got = new CopyOnWriteArrayList<>();
    try (MqttEndpoint bridge = client("th-bridge"); MqttEndpoint op = client("th-op")) {
      bridge.subscribe(Topics.operator("th"), 0, OperatorFrame.parser(), (t, f) -> {
        if (f.getSequence() == 1) {
          throw new InputException("frame 1 is bad");
        }
        if (f.getSequence() == 2) {
          throw new IllegalStateException("a bug");
        }
        got.add(f.getSequence());
      });
      for (long s = 1; s <= 3; s++) {
        op.publishOperatorFrame("th", OperatorFrame.newBuilder().setSequence(s).build());
      }
      Await.until(() -> got.contains(3L), 5000, "frame 3");
      assertEquals(2, bridge.handlerErrorCount());
      assertTrue(bridge.isConnected());
    }
  }

  @Test
  void aBurstOfReliableMessagesBeyondTheInFlightWindowArrivesCompleteAndInOrder() {
    List<Long> got = new CopyOnWriteArrayList<>();
    try (MqttEndpoint rx = client("burst-rx"); MqttEndpoint tx = client("burst-tx")) {
      rx.subscribe(Topics.safetyEvent("burst"), 1, io.optimus.proto.v1.SafetyEvent.parser(),
          (t, e) -> got.add(e.getSequence()));
      for (long i = 1; i <= 300; i++) { // the broker allows ~10 unacknowledged QoS 1 messages
        assertTrue(tx.publish(Topics.safetyEvent("burst"),
            io.optimus.proto.v1.SafetyEvent.newBuilder().setSequence(i).build(), 1, false));
      }
      Await.until(() -> got.size() == 300, 10000, () -> got.size() + " of 300");
      for (int i = 0; i < 300; i++) {
        assertEquals(i + 1, got.get(i));
      }
      assertEquals(0, tx.publishFailureCount());
    }
  }

  @Test
  void aBurstOfRepliesBeyondTheInFlightWindowAllArriveWithTheirCorrelationData() {
    java.util.Map<String, String> got = new java.util.concurrent.ConcurrentHashMap<>();
    String topic = Topics.controlReply("replyburst");
    try (MqttEndpoint rx = client("replyburst-rx"); MqttEndpoint tx = client("replyburst-tx")) {
      rx.subscribeRequests(topic, 1, io.optimus.proto.v1.ControlReply.parser(),
          (t, r, responseTopic, correlation) -> got.put(r.getRequestId(), new String(correlation)));
      for (int i = 1; i <= 300; i++) { // Paho refuses QoS 1 beyond ~10 in flight: "Too many publishes in progress"
        assertTrue(tx.publishReply(topic, io.optimus.proto.v1.ControlReply.newBuilder().setRequestId("r" + i).build(),
            ("c" + i).getBytes()), "reply " + i + " was refused");
      }
      Await.until(() -> got.size() == 300, 10000, () -> got.size() + " of 300 replies");
      for (int i = 1; i <= 300; i++) {
        assertEquals("c" + i, got.get("r" + i), "correlation data of reply " + i);
      }
      assertEquals(0, tx.publishFailureCount());
    }
  }

  @Test
  void payloadsOverTheTopicLimitAreDroppedAndCountedBeforeParsing() {
    List<Long> got = new CopyOnWriteArrayList<>();
    try (MqttEndpoint rx = MqttEndpoint.connect(MqttSettings.of(broker.url(), "big-rx"), null, 64 * 1024);
        MqttEndpoint tx = client("big-tx")) {
      rx.subscribe(Topics.operator("big"), 0, 1024, OperatorFrame.parser(), (t, f) -> got.add(f.getSequence()));
      byte[] junk = new byte[4096];
      java.util.Arrays.fill(junk, (byte) 0xff); // would count as garbage if it were parsed
      tx.publish(Topics.operator("big"), junk, 0, false, 1);
      // 10 MB: over the connection's Maximum Packet Size, so the broker does not even send it
      tx.publish(Topics.operator("big"), new byte[10 * 1024 * 1024], 0, false, 1);
      // small frames after the big ones (QoS 0 with 1 s expiry: a loaded broker may let one expire)
      long deadline = System.nanoTime() + 20_000_000_000L;
      for (long seq = 7; got.isEmpty() && System.nanoTime() < deadline; seq++) {
        tx.publishOperatorFrame("big", OperatorFrame.newBuilder().setSequence(seq).build());
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
      }
      assertFalse(got.isEmpty(), "no small frame arrived after the big ones");
      assertEquals(1, rx.oversizeCount(), "the 4 KB payload, dropped unparsed");
      assertEquals(0, rx.garbageCount(), "nothing over the limit was parsed");
      assertTrue(got.stream().allMatch(s -> s >= 7), got.toString());
      assertTrue(rx.isConnected());
      assertEquals(0, rx.reconnectCount(), "the 10 MB payload did not cost the connection");
    }
  }

  @Test
  void bridgeLastWillIsRetainedOfflineStatus() throws Exception {
    AtomicReference<BridgeStatus> seen = new AtomicReference<>();
    MqttEndpoint bridge = MqttEndpoint.connect(MqttSettings.of(broker.url(), "will-bridge"),
        LastWill.bridgeOffline("willbot"));
    bridge.publishAndWait(Topics.status("willbot"),
        BridgeStatus.newBuilder().setRobotId("willbot").setOnline(true).build(), 1, true);
    bridge.simulateNetworkFailure(); // vanishes without DISCONNECT: the broker sends the will
    bridge.close();
    // A client connecting afterwards still gets it: it is retained.
    try (MqttEndpoint watcher = client("will-watch")) {
      watcher.subscribe(Topics.status("willbot"), 1, BridgeStatus.parser(), (t, s) -> seen.set(s));
      Await.until(() -> seen.get() != null && !seen.get().getOnline(), 5000, "retained online=false");
      assertEquals("willbot", seen.get().getRobotId());
    }
  }

  @Test
  void operatorLastWillNamesTheOperator() throws Exception {
    AtomicReference<OperatorStatus> seen = new AtomicReference<>();
    try (MqttEndpoint watcher = client("opwill-watch")) {
      watcher.subscribe(Topics.operatorStatus("carol"), 1, OperatorStatus.parser(), (t, s) -> seen.set(s));
      MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(broker.url(), "opwill-carol"),
          LastWill.operatorOffline("carol", "r9"));
      op.simulateNetworkFailure();
      op.close();
      Await.until(() -> seen.get() != null, 5000, "carol's will");
      assertFalse(seen.get().getOnline());
      assertEquals("r9", seen.get().getRobotId());
    }
  }

  @Test
  void subscriptionsAreRestoredAfterTheBrokerRestarts() {
    EmbeddedBroker own = EmbeddedBroker.start(0);
    int port = own.port();
    List<Long> got = new CopyOnWriteArrayList<>();
    MqttEndpoint bridge = MqttEndpoint.connect(MqttSettings.of(own.url(), "re-bridge").withKeepAlive(2));
    try {
      bridge.subscribe(Topics.operator("re"), 0, OperatorFrame.parser(), (t, f) -> got.add(f.getSequence()));
      own.close(); // the in-memory broker forgets every session and subscription
      Await.until(() -> !bridge.isConnected(), 10000, "the bridge to notice the broker is gone");
      own = EmbeddedBroker.start(port);
      Await.until(() -> bridge.reconnectCount() >= 1, 20000, "the automatic reconnect");
      try (MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(own.url(), "re-op"))) {
        // poll: the resubscribe runs asynchronously right after the reconnect
        long deadline = System.nanoTime() + 10_000_000_000L;
        long seq = 0;
        while (got.isEmpty() && System.nanoTime() < deadline) {
          op.publishOperatorFrame("re", OperatorFrame.newBuilder().setSequence(++seq).build());
          Await.until(() -> true, 10, "");
          try {
            Thread.sleep(20); // publish pacing while polling for the restored subscription
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        assertFalse(got.isEmpty(), "no frame arrived after the reconnect: subscription not restored");
      }
    } finally {
      bridge.close();
      own.close();
    }
  }

  @Test
  void badBrokerUrlsAndUnreachableBrokersAreNamed() {
    InputException bad = assertThrows(InputException.class, () -> MqttSettings.of("http://x:1", "c"));
    assertTrue(bad.getMessage().contains("http://x:1"), bad.getMessage());
    int dead = EmbeddedBroker.freePort("127.0.0.1");
    MqttSettings s = new MqttSettings("tcp://127.0.0.1:" + dead, "nobody", null, null, null, 5, 2);
    BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class, () -> MqttEndpoint.connect(s));
    assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
  }

  @Test
  void topicFiltersMatchLikeMqtt() {
    assertTrue(Topics.matches("optimus/v1/+/operator", "optimus/v1/r1/operator"));
    assertFalse(Topics.matches("optimus/v1/+/operator", "optimus/v1/r1/x/operator"));
    assertTrue(Topics.matches("optimus/v1/r1/#", "optimus/v1/r1/safety/event"));
    assertTrue(Topics.matches("optimus/v1/r1/#", "optimus/v1/r1"));
    assertFalse(Topics.matches("optimus/v1/r1/#", "optimus/v1/r10/state"));
    assertFalse(Topics.matches("optimus/v1/r1/state", "optimus/v1/r1/state/x"));
  }
}
