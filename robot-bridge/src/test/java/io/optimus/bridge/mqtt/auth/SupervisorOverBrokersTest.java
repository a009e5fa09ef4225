package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.broker.MosquittoBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.EstopLatch;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.EstopResetRequest;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.StartRecordingRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor (factory pilot) e-stops and resets a bridge from her own supervise topic, on the
 * embedded HiveMQ (with the bridge's e-stop connection) and on Mosquitto with the shipped ACL (without
 * it): the latch and the reset events name her, a reset is only of the latch she names, motion after it
 * still needs the operator's deadman press, other requests there are refused, and an operator's
 * control-topic reset is still refused (the chord is hers).
 */
class SupervisorOverBrokersTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void onTheEmbeddedBroker() throws Exception {
    OneTimeCredentials c = new OneTimeCredentials().add("bridge-s1", Role.BRIDGE, "s1")
        .add("alice", Role.OPERATOR, "s1").add("pilot", Role.SUPERVISOR, "s1");
    try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(c.users()))) {
      scenario("s1", user -> c.login(broker.url(), user.equals("bridge") ? "bridge-s1" : user, user.equals("bridge")
          ? "bridge-s1" : user + "-1"), true);
    }
  }

  /** The shipped ACL's users: bridge-r1, alice (operator of r1), pilot (supervisor of every robot). */
  @Test
  void onMosquittoWithTheShippedAcl(@TempDir Path dir) throws Exception {
    Map<String, String> pw = Map.of("bridge-r1", "b-pass", "alice", "alice-pass", "pilot", "pilot-pass");
    try (MosquittoBroker broker = MosquittoAclTest.shipped(dir, pw)) {
      scenario("r1", user -> {
        String u = user.equals("bridge") ? "bridge-r1" : user;
        return MqttSettings.of(broker.url(), u).withCredentials(u, pw.get(u));
      }, false);
    }
  }

  private static void scenario(String robot, Function<String, MqttSettings> login, boolean estopConnection)
      throws Exception {
    int elbow = RIG.model().qIndex("right_elbow_joint");
    try (RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC))
            .mqtt(login.apply("bridge"))
            .estopConnection(estopConnection)
            .retargeter((f, dt, q, out) -> {
              System.arraycopy(RIG.home(), 0, out, 0, out.length);
              out[elbow] = -f.getRight().getTrigger();
            })
            .start();
        MqttEndpoint alice = MqttEndpoint.connect(login.apply("alice"));
        MqttEndpoint pilot = MqttEndpoint.connect(login.apply("pilot"))) {
      List<SafetyEvent> events = new CopyOnWriteArrayList<>();
      bridge.supervisor().addListener(events::add);
      Map<String, ControlReply> replies = new ConcurrentHashMap<>();
      pilot.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
      String mine = Topics.supervise(robot, "pilot");
      Driver driver = new Driver(new Operator(alice, robot, "alice", "a1"));
      try {
        driver.deadman = false;
        Thread.sleep(300);
        driver.deadman = true;
        Await.until(() -> bridge.supervisor().mode() == ControlMode.CONTROL_MODE_ENGAGED, 10_000, "alice engaged");

        // e-stop from the pilot's own topic: latched, named after the topic's user, not the payload's requester
        pilot.publishAndWait(mine, ControlRequest.newBuilder().setRequestId("p1").setRequester("alice")
            .setEstop(EstopRequest.newBuilder().setReason("pallet in the way")).build(), 1, false);
        Await.until(() -> replies.containsKey("p1"), 10_000, "the e-stop's reply");
        assertTrue(replies.get("p1").getOk(), replies.get("p1").toString());
        assertEquals(ControlMode.CONTROL_MODE_ESTOP, bridge.supervisor().mode());
        EstopLatch latch = bridge.supervisor().lastEstopLatch();
        assertEquals("e-stop by supervisor 'pilot': pallet in the way", latch.reason());
        assertTrue(latch.ticksWaited() <= 1, "latched within one control tick of arrival: " + latch);
        System.out.printf("supervisor e-stop on %s: arrival->latch %.3f ms, %d ticks%n",
            estopConnection ? "HiveMQ (e-stop connection)" : "Mosquitto", latch.latencyNs() / 1e6, latch.ticksWaited());
        long latched = bridge.supervisor().estopLatches();

        // an operator's reset over control is refused (hers is the chord), and so is a pilot's naming no latch
        assertFalse(bridge.handle(ControlRequest.newBuilder().setRequestId("a1")
            .setEstopReset(EstopResetRequest.getDefaultInstance()).build()).getOk());
        ControlReply noLatch = request(pilot, mine, replies, ControlRequest.newBuilder().setRequestId("p2")
            .setEstopReset(EstopResetRequest.getDefaultInstance()));
        assertFalse(noLatch.getOk());
        assertTrue(noLatch.getMessage().contains("names no latch"), noLatch.getMessage());
        // a newer latch (alice's control e-stop after a console reset) refuses a reset of the older one
        bridge.resetEstopLocally("test");
        alice.publishAndWait(Topics.control(robot), ControlRequest.newBuilder().setRequestId("a2")
            .setEstop(EstopRequest.newBuilder().setReason("alice too")).build(), 1, false);
        Await.until(() -> bridge.supervisor().estopLatches() == latched + 1, 10_000, "alice's latch");
        ControlReply stale = request(pilot, mine, replies, ControlRequest.newBuilder().setRequestId("p3")
            .setEstopReset(EstopResetRequest.newBuilder().setLatch(latched)));
        assertFalse(stale.getOk());
        assertTrue(stale.getMessage().contains("latched again since latch " + latched), stale.getMessage());
        assertEquals(ControlMode.CONTROL_MODE_ESTOP, bridge.supervisor().mode());

        // the newest latch named: reset, and the robot waits for alice's deliberate deadman press
        ControlReply ok = request(pilot, mine, replies, ControlRequest.newBuilder().setRequestId("p4")
            .setEstopReset(EstopResetRequest.newBuilder().setLatch(latched + 1)));
        assertTrue(ok.getOk(), ok.getMessage());
        assertTrue(events.stream().anyMatch(e -> e.getType() == SafetyEventType.SAFETY_EVENT_ESTOP_RESET
            && e.getDetail().contains("supervisor 'pilot'")), "the reset event names the supervisor");
        assertTrue(events.stream().anyMatch(e -> e.getType() == SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED
            && e.getDetail().contains("supervisor 'pilot'")), "so do the refusals");
        Thread.sleep(300); // deadman still held all along
        assertEquals(ControlMode.CONTROL_MODE_DISENGAGED, bridge.supervisor().mode(), "no motion without a new press");
        driver.deadman = false;
        Thread.sleep(200);
        driver.deadman = true;
        Await.until(() -> bridge.supervisor().mode() == ControlMode.CONTROL_MODE_ENGAGED, 10_000, "alice engaged again");

        // anything else on the supervise topic is refused, naming why
        ControlReply rec = request(pilot, mine, replies, ControlRequest.newBuilder().setRequestId("p5")
            .setStartRecording(StartRecordingRequest.getDefaultInstance()));
        assertFalse(rec.getOk());
        assertTrue(rec.getMessage().contains("may only e-stop or reset the e-stop"), rec.getMessage());
        assertEquals(0, bridge.mqtt().disconnectCount(), "the bridge was never kicked off");
      } finally {
        driver.close();
      }
    }
  }

  private static ControlReply request(MqttEndpoint pilot, String topic, Map<String, ControlReply> replies,
      ControlRequest.Builder r) {
    ControlRequest req = r.build();
    pilot.publishAndWait(topic, req, 1, false);
    Await.until(() -> replies.containsKey(req.getRequestId()), 10_000, "the reply to " + req.getRequestId());
    return replies.get(req.getRequestId());
  }

  /** Alice's client: ~90 Hz frames with the deadman as set, on its own thread. */
  private static final class Driver implements AutoCloseable {
    volatile boolean deadman;
    private volatile boolean stop;
    private final Thread thread;

    Driver(Operator op) {
      thread = Thread.ofPlatform().daemon().name("alice").start(() -> {
        while (!stop) {
          op.send(deadman, 0.3f);
          LockSupport.parkNanos(11_000_000L);
        }
      });
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(2000);
    }
  }
}
