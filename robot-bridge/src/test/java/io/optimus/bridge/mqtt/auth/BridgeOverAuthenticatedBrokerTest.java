package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.LastWill;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.TaskState;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The real clients' traffic fits the role table: a bridge, an operator, a policy and an observer,
 * each logged in with its role, do their whole job on an authenticated embedded broker and none of
 * them is ever disconnected for a refused PUBLISH (HiveMQ closes the connection on one).
 */
class BridgeOverAuthenticatedBrokerTest {
  @Test
  void everyRoleDoesItsJobWithoutARefusal() {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    int elbow = rig.model().qIndex("right_elbow_joint");
    OneTimeCredentials c = new OneTimeCredentials().add("bridge-a1", Role.BRIDGE, "a1")
        .add("opa", Role.OPERATOR, "a1").add("policy-a1", Role.POLICY, "a1").add("watcher", Role.OBSERVER, "a1");
    try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(c.users()));
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults("a1").withCamera(5))
            .mqtt(c.login(broker.url(), "bridge-a1", "bridge-a1"))
            .video(io.optimus.bridge.video.VideoConfig.defaults().withRate(5).withWrist(null)
                .withEye(new io.optimus.motion.model.CameraSize(64, 48, Math.toRadians(60))))
            .retargeter((f, dt, q, out) -> {
              System.arraycopy(rig.home(), 0, out, 0, out.length);
              out[elbow] = -f.getRight().getTrigger();
            })
            .start();
        MqttEndpoint op = MqttEndpoint.connect(c.login(broker.url(), "opa", "opa-1"), LastWill.operatorOffline("opa", "a1"));
        MqttEndpoint policy = MqttEndpoint.connect(c.login(broker.url(), "policy-a1", "policy-a1-1"));
        MqttEndpoint watcher = MqttEndpoint.connect(c.login(broker.url(), "watcher", "watcher"))) {
      AtomicReference<JointState> state = new AtomicReference<>();
      AtomicInteger seen = new AtomicInteger();
      op.subscribe(Topics.state("a1"), 0, JointState.parser(), (t, s) -> state.set(s));
      op.subscribe(Topics.controlReply("a1"), 1, ControlReply.parser(), (t, r) -> seen.incrementAndGet());
      for (MqttEndpoint reader : List.of(op, policy, watcher)) {
        reader.subscribe(Topics.task("a1"), 0, TaskState.parser(), (t, m) -> { });
        reader.subscribe(Topics.status("a1"), 1, BridgeStatus.parser(), (t, m) -> seen.incrementAndGet());
        reader.subscribe(Topics.description("a1"), 1, RobotDescription.parser(), (t, m) -> seen.incrementAndGet());
        reader.subscribe(Topics.camera("a1", "head"), 0, CameraFrame.parser(), (t, m) -> { });
      }
      AtomicInteger videoOp = new AtomicInteger();
      AtomicInteger videoWatcher = new AtomicInteger();
      op.subscribe(Topics.robot("a1") + "/video/+", 0, io.optimus.proto.v1.VideoFrame.parser(),
          (t, m) -> videoOp.incrementAndGet());
      watcher.subscribe(Topics.robot("a1") + "/video/+", 0, io.optimus.proto.v1.VideoFrame.parser(),
          (t, m) -> videoWatcher.incrementAndGet());
      watcher.subscribe(Topics.PREFIX + "/operators/+/status", 1, OperatorStatus.parser(), (t, m) -> seen.incrementAndGet());
      op.publishAndWait(Topics.operatorStatus("opa"), OperatorStatus.newBuilder().setOperatorId("opa").setRobotId("a1")
          .build(), 1, true);
      op.publishAndWait(Topics.control("a1"), ControlRequest.newBuilder().setRequester("opa").build(), 1, false);
      policy.publishAndWait(Topics.control("a1"), ControlRequest.newBuilder().setRequester("policy-a1").build(), 1, false);

      Operator driver = new Operator(op, "a1");
      long end = System.nanoTime() + 20_000_000_000L;
      int n = 0;
      // within the PD's steady-state error: the physics arm sags about 0.02 rad under gravity, short of the target
      while (System.nanoTime() < end && (state.get() == null || Math.abs(state.get().getPosition(elbow) + 0.7) > 0.05)) {
        driver.send(n++ > 10, 0.7f);
        LockSupport.parkNanos(11_000_000L); // 90 Hz operator
      }
      assertEquals(-0.7, state.get().getPosition(elbow), 0.05, "the operator's frames drive the robot");
      Await.until(() -> seen.get() >= 8, 10_000, "status, description, replies and the operator's status: " + seen);
      Await.until(() -> videoOp.get() > 0 && videoWatcher.get() > 0, 10_000,
          () -> "the bridge's video (its own connection) reaches the operator and the observer");
      op.publishAndWait(Topics.operatorStatus("opa"), OperatorStatus.getDefaultInstance(), 1, true);
      for (MqttEndpoint e : List.of(bridge.mqtt(), op, policy, watcher)) {
        assertTrue(e.isConnected(), e.clientId() + " is still connected");
        assertEquals(0, e.reconnectCount(), e.clientId() + " was never disconnected for a refused message");
        assertEquals(0, e.publishFailureCount(), e.clientId() + " had no refused publish");
      }
    }
  }
}
