package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.MosquittoBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge on Mosquitto with the shipped configuration (one connection per user through
 * use_username_as_clientid) runs without its separate e-stop connection, which would otherwise take
 * its own main connection's place, and stays on. Its own broker: the bridge's retained messages
 * would confuse the ACL checks of {@link MosquittoAclTest}.
 */
class MosquittoBridgeTest {
  @Test
  void aBridgeWithoutItsEstopConnectionStaysConnectedAndStillLatchesEstops(@TempDir Path dir) throws Exception {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    try (MosquittoBroker broker = MosquittoAclTest.shipped(dir, Map.of("bridge-r1", "b1-pass", "alice", "alice-pass"));
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults("r1").withCamera(0).withSource("command"))
            .mqtt(MqttSettings.of(broker.url(), "bridge-r1").withCredentials("bridge-r1", "b1-pass"))
            .estopConnection(false)
            .start();
        MqttEndpoint alice = MqttEndpoint.connect(MqttSettings.of(broker.url(), "alice-1")
            .withCredentials("alice", "alice-pass"))) {
      Thread.sleep(2000);
      alice.publishAndWait(Topics.control("r1"), ControlRequest.newBuilder().setRequestId("stop")
          .setEstop(EstopRequest.newBuilder().setReason("test")).build(), 1, false);
      Await.until(() -> bridge.supervisor().estopLatched(), 5000, "e-stop latched");
      assertEquals(0, bridge.mqtt().disconnectCount(), "the bridge was never kicked off");
    }
  }
}
