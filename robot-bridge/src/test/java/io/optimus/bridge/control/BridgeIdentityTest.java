package io.optimus.bridge.control;

import static io.optimus.bridge.control.BridgeOverMqttTest.RIG;
import static io.optimus.bridge.control.BridgeOverMqttTest.bridge;
import static io.optimus.bridge.control.BridgeOverMqttTest.holdResetChord;
import static io.optimus.bridge.control.BridgeOverMqttTest.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.control.BridgeOverMqttTest.Watcher;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.common.Stamps;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.EstopResetRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import io.optimus.proto.v1.Timestamp;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bridge enforces on its own, whoever publishes: identity from topics, one owning operator
 * session, a deliberate and privileged e-stop reset, replays from the replay directory only, and
 * believable capture times. Real broker, real Paho clients, real bridge.
 */
class BridgeIdentityTest {
  static EmbeddedBroker broker;

  @BeforeAll
  static void up() {
    broker = Brokers.embedded();
    BridgeOverMqttTest.broker = broker;
  }

  static MqttEndpoint client(String id) {
    return MqttEndpoint.connect(MqttSettings.of(broker.url(), id));
  }

  /** An operator streaming at ~90 Hz on its own thread (deadman as set) until closed. */
  static final class Streamer implements AutoCloseable {
    final Operator op;
    volatile boolean deadman;
    private volatile boolean run = true;
    private final Thread thread;

    Streamer(Operator op, boolean deadman) {
      this.op = op;
      this.deadman = deadman;
      thread = Thread.ofPlatform().daemon().start(() -> {
        while (run) {
          op.send(this.deadman, 0.3f);
          LockSupport.parkNanos(11_000_000L);
        }
      });
    }

    @Override
    public void close() {
      run = false;
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static long count(Watcher w, SafetyEventType t) {
    return w.events.stream().filter(e -> e.getType() == t).count();
  }

  static SafetyEvent last(Watcher w, SafetyEventType t) {
    SafetyEvent found = null;
    for (SafetyEvent e : w.events) {
      if (e.getType() == t) {
        found = e;
      }
    }
    return found;
  }

  static byte[] status(String operator, String robot, boolean online) {
    return OperatorStatus.newBuilder().setSchemaVersion(1).setOperatorId(operator).setRobotId(robot).setOnline(online)
        .setStamp(Stamps.now()).build().toByteArray();
  }

  /** A valid status followed by {@code padding} bytes in an unknown field: still parses as that status. */
  static byte[] padded(byte[] status, int padding) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(status.length + padding + 16);
    out.write(status);
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeBytes(100, ByteString.copyFrom(new byte[padding]));
    c.flush();
    return out.toByteArray();
  }

  // Item 2: identity comes from the topic, never from the payload.
  @Test
  void anotherOperatorsStatusNeverStopsTheRobotAndOnlyAWellFormedOfflineOfItsOwnerDoes() throws Exception {
    String alice = "alice-id2";
    String bob = "bob-id2";
    try (Watcher w = new Watcher("id2"); RobotBridge bridge = bridge("id2", null);
        MqttEndpoint bobClient = client("op-" + bob); MqttEndpoint aliceClient = client("op-" + alice)) {
      Operator op = new Operator(bobClient, "id2", bob, "bob-session");
      try (Streamer s = new Streamer(op, false); MqttEndpoint junk = client("junk-id2")) {
        Await.until(() -> bob.equals(bridge.inbox().ownerOperator(System.nanoTime())), 10000, "bob owns id2");
        // alice (allowed on her own status topic only) says "offline" naming robot id2, then names bob
        aliceClient.publish(Topics.operatorStatus(alice), status(alice, "id2", false), 1, true, 0);
        aliceClient.publish(Topics.operatorStatus(alice), status(bob, "id2", false), 1, true, 0);
        Await.until(() -> bridge.badOperatorStatuses() >= 1, 5000, "alice's status naming bob counted");
        // 10 MB statuses, and garbage on bob's own topic (from another client: the link would carry them),
        // are not "offline" either
        aliceClient.publish(Topics.operatorStatus(alice), padded(status(alice, "id2", false), 10 << 20), 1, false, 0);
        junk.publish(Topics.operatorStatus(bob), padded(status(bob, "id2", false), 1 << 20), 1, false, 0);
        junk.publish(Topics.operatorStatus(bob), new byte[] {1, 2, 3}, 1, false, 0);
        junk.publish(Topics.operatorStatus(bob), OperatorStatus.newBuilder().setRobotId("id2").build()
            .toByteArray(), 1, false, 0); // schema 0, no operator: what a garbage-but-parseable payload looks like
        // an "online" status cut short before its online field parses with online=false
        junk.publish(Topics.operatorStatus(bob), OperatorStatus.newBuilder().setSchemaVersion(1).setOperatorId(bob)
            .build().toByteArray(), 1, false, 0);
        // the 10 MB and 1 MB ones never reach the bridge: it declares a 256 KiB Maximum Packet Size, so
        // the broker does not deliver them; the other four are counted and dropped
        Await.until(() -> bridge.badOperatorStatuses() >= 4, 60000,
            () -> "4 bad statuses counted, saw " + bridge.badOperatorStatuses());
        assertFalse(w.saw(SafetyEventType.SAFETY_EVENT_OPERATOR_LOST), "no status above stopped the robot");
        // bob engages; his own, well-formed "offline" (his Last Will says the same) stops it at once
        s.deadman = true;
        Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ENGAGED), 10000, "engaged by bob");
        assertFalse(w.saw(SafetyEventType.SAFETY_EVENT_OPERATOR_LOST));
        bobClient.publish(Topics.operatorStatus(bob), status(bob, "", false), 1, false, 0);
        Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_OPERATOR_LOST), 5000, "operator lost");
        assertEquals(ControlMode.CONTROL_MODE_SAFE_RAMP, last(w, SafetyEventType.SAFETY_EVENT_OPERATOR_LOST)
            .getModeAfter());
        assertTrue(last(w, SafetyEventType.SAFETY_EVENT_OPERATOR_LOST).getDetail().contains(bob));
      } finally {
        aliceClient.publish(Topics.operatorStatus(alice), new byte[0], 1, true, 0); // clear the retained status
      }
    }
  }

  // Item 3: one operator session owns the robot.
  @Test
  void aSecondSessionCannotTouchTheDeadmanUntilTheOwnerIsGone() {
    try (Watcher w = new Watcher("id3"); RobotBridge bridge = bridge("id3", null);
        MqttEndpoint ownerClient = client("op-id3-ann"); MqttEndpoint intruderClient = client("op-id3-eve")) {
      AtomicReference<BridgeStatus> status = new AtomicReference<>();
      w.mqtt.subscribe(Topics.status("id3"), 1, BridgeStatus.parser(), (t, s) -> status.set(s));
      Operator owner = new Operator(ownerClient, "id3", "ann", "ann-1");
      Operator intruder = new Operator(intruderClient, "id3", "eve", "eve-1");
      stream(owner, false, 0, 400, () -> false);
      try (Streamer s = new Streamer(owner, true)) {
        Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ENGAGED), 10000, "engaged by ann");
        for (int i = 0; i < 400; i++) { // flips the deadman as fast as it can
          intruder.send(i % 2 == 0, 1.0f);
          LockSupport.parkNanos(1_000_000L);
        }
        Await.until(() -> bridge.frameDrops().count(FrameDrop.FOREIGN_SESSION) >= 300, 5000,
            () -> "foreign frames counted: " + bridge.frameDrops().snapshot());
        assertFalse(w.saw(SafetyEventType.SAFETY_EVENT_DISENGAGED), "the intruder never released the deadman");
        assertEquals(1, count(w, SafetyEventType.SAFETY_EVENT_ENGAGED));
        assertEquals(ControlMode.CONTROL_MODE_ENGAGED, bridge.supervisor().mode());
        assertEquals("ann-1", bridge.inbox().owner(System.nanoTime()));
        Await.until(() -> status.get() != null && status.get().getOperatorFramesDroppedOrDefault("foreign-session", 0)
            > 0, 5000, () -> "the drops in the retained BridgeStatus: " + status.get());
        SafetyEvent reported = last(w, SafetyEventType.SAFETY_EVENT_INVALID_INPUT);
        assertNotNull(reported, "the refusal is a safety event too (rate-limited)");
        assertTrue(reported.getDetail().contains("foreign-session"), reported.getDetail());
      }
      // the owner vanishes: the watchdog ramps, the session lapses, and only then may another one claim
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE), 10000, "watchdog disengage");
      Await.until(() -> bridge.inbox().owner(System.nanoTime()) == null, 10000, "ann's session lapsed");
      stream(intruder, true, 0.5f, 300, () -> w.saw(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED));
      assertEquals("eve-1", bridge.inbox().owner(System.nanoTime()));
      assertTrue(w.saw(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED), "a new session must press deliberately");
      assertEquals(1, count(w, SafetyEventType.SAFETY_EVENT_ENGAGED));
      stream(intruder, false, 0, 400, () -> false);
      stream(intruder, true, 0.5f, 10000, () -> count(w, SafetyEventType.SAFETY_EVENT_ENGAGED) == 2);
      Await.until(() -> count(w, SafetyEventType.SAFETY_EVENT_ENGAGED) == 2, 10000, "engaged by eve after her press");
      // ann's frames are refused now, but her e-stop chord still stops the robot: stopping never waits
      owner.send(owner.frame(false, 0).setCommands(owner.frame(false, 0).getCommands().toBuilder().setEstop(true))
          .build());
      Await.until(() -> bridge.supervisor().estopLatched(), 10000, "e-stop from the refused session");
      // latched on arrival, before the session check (RobotBridge.latchIfEstop), so the event names the chord
      Await.until(() -> last(w, SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED) != null, 5000, "e-stop event");
      String detail = last(w, SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED).getDetail();
      assertTrue(detail.contains("e-stop chord"), detail);
    }
  }

  // Item 3: absurd sequences are refused and counted; sequences restart with a session.
  @Test
  void anAbsurdSequenceIsRefusedAndCountedAndTheOperatorKeepsControl() {
    try (Watcher w = new Watcher("id4"); RobotBridge bridge = bridge("id4", null);
        MqttEndpoint c = client("op-id4")) {
      Operator op = new Operator(c, "id4", "ann", "ann-1");
      stream(op, false, 0, 400, () -> false);
      try (Streamer s = new Streamer(op, true)) {
        Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ENGAGED), 10000, "engaged");
        op.send(op.frame(true, 1.0f).setSequence(Long.MAX_VALUE).build()); // 2^63-1
        op.send(op.frame(true, 1.0f).setSequence(-1L).build()); // 2^64-1 as uint64
        Await.until(() -> bridge.frameDrops().count(FrameDrop.SEQUENCE_JUMP) == 2, 3000,
            () -> "two jumps counted: " + bridge.frameDrops().snapshot());
        long accepted = bridge.inbox().acceptedCount();
        Await.until(() -> bridge.inbox().acceptedCount() > accepted + 20, 10000, "the operator's frames still count");
        assertFalse(w.saw(SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE), "never locked out");
        assertEquals(ControlMode.CONTROL_MODE_ENGAGED, bridge.supervisor().mode());
      }
      // the client restarts: a new session numbers from 1 again, once the old one is gone
      Await.until(() -> bridge.inbox().owner(System.nanoTime()) == null, 10000, "old session lapsed");
      Operator restarted = new Operator(c, "id4", "ann", "ann-2");
      long accepted = bridge.inbox().acceptedCount();
      stream(restarted, false, 0, 5000, () -> bridge.inbox().acceptedCount() > accepted + 5);
      assertEquals("ann-2", bridge.inbox().owner(System.nanoTime()));
      assertTrue(bridge.inbox().acceptedCount() > accepted + 5, "sequence 1.. of the new session accepted");
    }
  }

  // Item 4: e-stop reset is a privileged, deliberate act.
  @Test
  void theEstopIsResetOnlyByTheOwnersHeldChordOrTheConsoleAndNeverWhileALinkIsLost() throws Exception {
    try (Watcher w = new Watcher("id5"); RobotBridge bridge = bridge("id5", null);
        MqttEndpoint ownerClient = client("op-id5-ann"); MqttEndpoint policyClient = client("op-id5-policy")) {
      Operator owner = new Operator(ownerClient, "id5", "ann", "ann-1");
      Operator policy = new Operator(policyClient, "id5", "policy", "policy-1");
      stream(owner, false, 0, 400, () -> false);
      assertTrue(w.request("id5", ControlRequest.newBuilder().setRequestId("stop").setRequester("ann")
          .setEstop(EstopRequest.newBuilder().setReason("test")).build()).getOk());
      assertTrue(bridge.supervisor().estopLatched());

      // a control request may not reset it, whoever it claims to be
      ControlReply viaControl = w.request("id5", ControlRequest.newBuilder().setRequestId("r1").setRequester("ann")
          .setEstopReset(EstopResetRequest.getDefaultInstance()).build());
      assertFalse(viaControl.getOk());
      assertTrue(viaControl.getMessage().contains("engaged operator"), viaControl.getMessage());
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED), 10000, "refusal event");

      // another session's perfect 1.3 s hold is not the owner's
      try (Streamer s = new Streamer(owner, false)) {
        Await.until(() -> "ann-1".equals(bridge.inbox().owner(System.nanoTime())), 10000, "ann owns the robot");
        holdResetChord(policy, 1300, 1000, false);
      }
      Await.until(() -> bridge.frameDrops().count(FrameDrop.FOREIGN_SESSION) > 50, 5000,
          () -> "the policy's frames refused: " + bridge.frameDrops().snapshot());
      assertTrue(bridge.supervisor().estopLatched(), "the policy's reset chord did nothing");

      // the owner's event after only 0.3 s of holding, then letting go: refused, answered
      long refusals = count(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED);
      holdResetChord(owner, 300, 0, false);
      stream(owner, false, 0, 100, () -> false);
      Await.until(() -> count(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED) == refusals + 1, 3000,
          "short hold refused");
      assertTrue(last(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED).getDetail().contains("let go"));
      Await.until(() -> w.replies.values().stream().anyMatch(r -> r.getRequestId().startsWith("operator-event-")
          && r.getMessage().contains("let go")), 10000, "the refusal on control/reply");
      // the event without the chord held at all
      owner.send(owner.frame(false, 0).addEvents(owner.event(OperatorEventType.OPERATOR_EVENT_ESTOP_RESET)).build());
      Await.until(() -> count(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED) == refusals + 2, 3000,
          "event without the chord refused");
      assertTrue(last(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED).getDetail().contains("not held"));
      assertTrue(bridge.supervisor().estopLatched());

      // the owner holds it (its client fires the event at 1 s; 2.5 s leave room for a loaded machine): reset
      holdResetChord(owner, 2500, 1000, false);
      stream(owner, false, 0, 100, () -> false);
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ESTOP_RESET), 10000, "reset by the owner");
      assertEquals(ControlMode.CONTROL_MODE_DISENGAGED, bridge.supervisor().mode());

      // a hold that began before the e-stop latched does not reset that newer latch
      long refusedSoFar = count(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED);
      Thread holder = Thread.ofPlatform().start(() -> holdResetChord(owner, 1300, 1000, false));
      long latchAt = System.nanoTime() + 400_000_000L;
      Await.until(() -> System.nanoTime() > latchAt, 2000, "0.4 s into the hold");
      bridge.supervisor().estop(System.nanoTime(), "test: latched during the hold");
      holder.join();
      stream(owner, false, 0, 100, () -> false);
      Await.until(() -> count(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED) == refusedSoFar + 1, 3000,
          "reset of a newer latch refused");
      // (a frame gap over 100 ms restarts the hold: then it is refused for being let go too early)
      String detail = last(w, SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED).getDetail();
      assertTrue(detail.contains("latched again") || detail.contains("let go"), detail);
      assertTrue(bridge.supervisor().estopLatched());
      holdResetChord(owner, 2500, 1000, false);
      stream(owner, false, 0, 100, () -> false);
      Await.until(() -> !bridge.supervisor().estopLatched(), 10000, "reset by a hold begun after the latch");

      // the console may reset, but not while the operator link is lost
      bridge.supervisor().estop(System.nanoTime(), "test");
      Await.until(() -> bridge.inbox().linkLost(System.nanoTime()), 10000, "operator link lost");
      String why = bridge.resetEstopLocally("test");
      assertNotNull(why, "refused while the operator link is lost");
      assertTrue(why.contains("operator link"), why);
      stream(owner, false, 0, 400, () -> false);
      try (Streamer s = new Streamer(owner, false)) {
        assertNull(bridge.resetEstopLocally("test"));
        assertEquals(ControlMode.CONTROL_MODE_DISENGAGED, bridge.supervisor().mode());
        // ... nor while the broker link is down
        bridge.supervisor().estop(System.nanoTime(), "test");
        bridge.mqtt().simulateNetworkFailure();
        Await.until(() -> !bridge.mqtt().isConnected(), 10000, "broker link down");
        why = bridge.resetEstopLocally("test");
        assertNotNull(why);
        assertTrue(why.contains("broker"), why);
        assertTrue(bridge.supervisor().estopLatched());
      }
    }
  }

  static ControlRequest replay(String id, String spec) {
    return ControlRequest.newBuilder().setRequestId(id)
        .setSetActionSource(SetActionSourceRequest.newBuilder().setSource(spec)).build();
  }

  /** An episode of {@code n} states at 250 Hz, the elbow moving. */
  static void writeEpisode(Path file, int n) throws Exception {
    EpisodeHeader h = EpisodeHeader.newBuilder().setSchemaVersion(1).setEpisodeId("long").setRobotId("id6")
        .setRobot(RIG.describe("id6", 250, 0)).setControlRateHz(250).build();
    EpisodeWriter wr = EpisodeWriter.start(file, h, EpisodeWriter.Options.defaults().withFsync(false), null);
    long mono = System.nanoTime();
    long wall = Stamps.wallNanos();
    double[] home = RIG.home();
    for (int i = 0; i < n; i++) {
      JointState.Builder s = JointState.newBuilder().setSchemaVersion(1).setRobotId("id6").setSequence(i + 1)
          .setStamp(Timestamp.newBuilder().setMonotonicNs(mono + i * 4_000_000L).setWallNs(wall + i * 4_000_000L));
      for (int j = 0; j < home.length; j++) {
        double q = j == BridgeOverMqttTest.ELBOW ? -0.5 * i / n : home[j];
        s.addPosition(q).addVelocity(0).addEffort(0).addCommandedPosition(q);
      }
      JointState st = s.build();
      while (!wr.writeState(st)) {
        LockSupport.parkNanos(1_000_000L); // the writer's queue is full: let it drain
      }
    }
    assertTrue(wr.finish().ok());
  }

  /** The real library, whose loads the test can hold open to see what the bridge does meanwhile. */
  static final class GatedReplays extends ReplayLibrary {
    private volatile java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(0);
    private volatile java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);

    GatedReplays(Path dir) {
      super(dir);
    }

    void hold() {
      entered = new java.util.concurrent.CountDownLatch(1);
      open = new java.util.concurrent.CountDownLatch(1);
    }

    void awaitEntered() throws InterruptedException {
      assertTrue(entered.await(60, java.util.concurrent.TimeUnit.SECONDS), "the load started");
    }

    void release() {
      open.countDown();
    }

    @Override
    public ReplayActionSource load(String id, int dof) {
      ReplayActionSource s = super.load(id, dof);
      entered.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return s;
    }
  }

  // Item 5: control requests never open files outside the replay directory, nor block the MQTT thread.
  @Test
  void replaysComeOnlyByIdFromTheReplayDirectoryAndLoadOffTheMqttThread(@TempDir Path dir) throws Exception {
    try (Watcher w = new Watcher("id6a"); RobotBridge plain = bridge("id6a", null)) {
      ControlReply r = w.request("id6a", replay("a", "replay:anything"));
      assertFalse(r.getOk());
      assertTrue(r.getMessage().contains("--replay-dir"), r.getMessage());
    }
    Path episodes = Files.createDirectory(dir.resolve("episodes"));
    writeEpisode(episodes.resolve("long.mcap"), 300);
    new ProcessBuilder("mkfifo", episodes.resolve("fifo.mcap").toString()).start().waitFor();
    Files.createSymbolicLink(episodes.resolve("link.mcap"), Path.of("/etc/hostname"));
    try (RandomAccessFile big = new RandomAccessFile(episodes.resolve("big.mcap").toFile(), "rw")) {
      big.setLength(ReplayLibrary.MAX_BYTES + 1); // sparse
    }
    List<String> order = new CopyOnWriteArrayList<>();
    GatedReplays gate = new GatedReplays(episodes);
    try (Watcher w = new Watcher("id6");
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("id6").withCamera(0))
            .mqtt(MqttSettings.of(broker.url(), "unused")).retargeter(BridgeOverMqttTest.TRIGGER_TO_ELBOW)
            .replays(gate).start()) {
      w.mqtt.subscribe(Topics.controlReply("id6"), 1, ControlReply.parser(), (t, r) -> order.add(r.getRequestId()));
      for (String bad : List.of("/etc/shadow", "/etc/no-such-file", "../long", "..", "a/b", "")) {
        ControlReply r = w.request("id6", replay("bad" + bad, "replay:" + bad));
        assertFalse(r.getOk(), bad);
        assertTrue(r.getMessage().contains("is invalid"), r.getMessage());
      }
      ControlReply fifo = w.request("id6", replay("fifo", "replay:fifo"));
      assertFalse(fifo.getOk());
      assertTrue(fifo.getMessage().contains("not a regular file"), fifo.getMessage());
      ControlReply link = w.request("id6", replay("link", "replay:link"));
      assertFalse(link.getOk());
      assertTrue(link.getMessage().contains("symbolic"), link.getMessage());
      ControlReply big = w.request("id6", replay("big", "replay:big.mcap"));
      assertFalse(big.getOk());
      assertTrue(big.getMessage().contains("MiB"), big.getMessage());
      ControlReply missing = w.request("id6", replay("missing", "replay:nope"));
      assertFalse(missing.getOk());
      assertTrue(missing.getMessage().contains("no episode 'nope'"), missing.getMessage());

      // a load runs on a worker: an e-stop sent while it is in progress is answered without waiting
      order.clear();
      gate.hold();
      w.mqtt.publishAndWait(Topics.control("id6"), replay("load", "replay:long"), 1, false);
      gate.awaitEntered();
      w.mqtt.publishAndWait(Topics.control("id6"), ControlRequest.newBuilder().setRequestId("estop")
          .setEstop(EstopRequest.newBuilder().setReason("test")).build(), 1, false);
      Await.until(() -> order.contains("estop"), 60000, () -> "the e-stop reply: " + order);
      assertEquals(List.of("estop"), order, "the e-stop was answered while the episode loaded");
      gate.release();
      Await.until(() -> order.contains("load"), 60000, () -> "the load reply: " + order);
      assertTrue(w.replies.get("load").getOk(), w.replies.get("load").getMessage());
      assertEquals("replay:long.mcap", bridge.loop().source().name());

      // a replay still loading when a newer set_action_source arrives is dropped, not applied late
      // (in-process requests: the same handling, and no reply can be lost on a busy link)
      AtomicReference<ControlReply> late = new AtomicReference<>();
      gate.hold();
      Thread loading = Thread.ofPlatform().start(() -> late.set(bridge.handle(replay("load2", "replay:long"))));
      gate.awaitEntered();
      ControlReply teleop = bridge.handle(replay("teleop", "teleop"));
      gate.release();
      loading.join();
      assertTrue(teleop.getOk(), teleop.getMessage());
      assertFalse(late.get().getOk());
      assertTrue(late.get().getMessage().contains("superseded"), late.get().getMessage());
      assertEquals("teleop", bridge.loop().source().name());
    }
  }

  // Item 9: capture times are sanity-checked against the bridge's clock.
  @Test
  void framesWithUnbelievableCaptureTimesAreRefusedCountedAndNeverRecorded(@TempDir Path dir) throws Exception {
    try (Watcher w = new Watcher("id9"); RobotBridge bridge = bridge("id9", dir); MqttEndpoint c = client("op-id9")) {
      Operator op = new Operator(c, "id9", "ann", "ann-1");
      assertTrue(w.request("id9", ControlRequest.newBuilder().setRequestId("s")
          .setStartRecording(StartRecordingRequest.getDefaultInstance()).build()).getOk());
      stream(op, false, 0, 200, () -> false);
      long hour = 3_600_000_000_000L;
      long wallNow = Stamps.wallNanos();
      List<Timestamp> bad = List.of(
          Timestamp.newBuilder().setMonotonicNs(System.nanoTime()).setWallNs(Long.MAX_VALUE).build(),
          Timestamp.newBuilder().setMonotonicNs(Long.MAX_VALUE).build(),
          Timestamp.newBuilder().setMonotonicNs(-5).build(),
          Timestamp.newBuilder().setMonotonicNs(System.nanoTime()).setWallNs(wallNow - hour).build(),
          Timestamp.newBuilder().setMonotonicNs(System.nanoTime()).setWallNs(wallNow + 10_000_000_000L).build(),
          // plausible alone, but an hour away from this session's clock
          Timestamp.newBuilder().setMonotonicNs(System.nanoTime() + hour).build());
      Set<Long> badSequences = new HashSet<>();
      for (Timestamp t : bad) {
        OperatorFrame f = op.frame(false, 0).setCaptureTime(t).build();
        badSequences.add(f.getSequence());
        op.send(f);
        op.send(false, 0);
      }
      Await.until(() -> bridge.frameDrops().count(FrameDrop.TIMESTAMP) == bad.size(), 3000,
          () -> "all refused: " + bridge.frameDrops().snapshot());
      stream(op, false, 0, 200, () -> false);
      ControlReply stop = w.request("id9", ControlRequest.newBuilder().setRequestId("t")
          .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS))
          .build());
      assertTrue(stop.getOk(), stop.getMessage());
      long wallEnd = Stamps.wallNanos();
      int recorded = 0;
      try (EpisodeReader r = EpisodeReader.open(Path.of(stop.getEpisodePath()))) {
        Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.OPERATOR));
        while (it.hasNext()) {
          OperatorFrame f = it.next().as(OperatorFrame.class);
          recorded++;
          assertFalse(badSequences.contains(f.getSequence()), "refused frame " + f.getSequence() + " was recorded");
          assertTrue(Math.abs(f.getCaptureTime().getMonotonicNs() - System.nanoTime()) < 60_000_000_000L);
        }
        var operatorChannel = r.outcome().orElseThrow().getChannelsList().stream()
            .filter(ch -> ch.getTopic().equals(EpisodeTopics.OPERATOR)).findFirst().orElseThrow();
        assertTrue(operatorChannel.getMaxGapS() < 5, "max gap " + operatorChannel.getMaxGapS() + " s");
        assertTrue(r.endTimeNs() <= wallEnd + 1_000_000_000L);
      }
      assertTrue(recorded > 20, "the good frames are recorded: " + recorded);
    }
  }
}
