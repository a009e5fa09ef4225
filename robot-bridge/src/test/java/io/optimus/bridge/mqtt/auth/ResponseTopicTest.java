package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Paho;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/**
 * The bridge publishes only on its own topics: an MQTT 5 response topic in a control request is not
 * followed (the reply goes to {@code control/reply} with the request's correlation data). Following
 * it let anyone who may send a control request make the bridge publish elsewhere, and under the ACL
 * the broker then dropped the bridge's connection.
 */
class ResponseTopicTest {
  @Test
  void aForeignResponseTopicIsNotFollowedAndTheBridgeStaysConnected() throws Exception {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    OneTimeCredentials c = new OneTimeCredentials().add("bridge-t1", Role.BRIDGE, "t1")
        .add("opt", Role.OPERATOR, "t1").add("watch", Role.OBSERVER, "t2");
    try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(c.users()));
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults("t1").withCamera(0).withSource("command"))
            .mqtt(c.login(broker.url(), "bridge-t1", "bridge-t1")).start()) {
      MqttSettings op = c.login(broker.url(), "opt", "opt-1");
      MqttAsyncClient paho = Paho.connect(broker.url(), op.clientId(), op.username(), op.password());
      AtomicReference<ControlReply> reply = new AtomicReference<>();
      AtomicReference<byte[]> correlation = new AtomicReference<>();
      List<String> elsewhere = new CopyOnWriteArrayList<>();
      try (MqttEndpoint watcher = MqttEndpoint.connect(c.login(broker.url(), "watch", "watch"));
          MqttEndpoint replies = MqttEndpoint.connect(c.login(broker.url(), "opt", "opt-2"))) {
        watcher.subscribeRaw("optimus/v1/t2/#", 0, (t, p) -> elsewhere.add(t));
        replies.subscribeRequests(Topics.controlReply("t1"), 1, ControlReply.parser(), (t, r, rt, corr) -> {
          correlation.set(corr);
          reply.set(r);
        });
        Thread.sleep(300); // the subscription is in place before the request goes out
        MqttMessage m = new MqttMessage(ControlRequest.newBuilder().setRequestId("r1").setRequester("opt").build()
            .toByteArray(), 1, false, null);
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("optimus/v1/t2/state"); // not the bridge's to publish on
        p.setCorrelationData("c-42".getBytes(StandardCharsets.UTF_8));
        m.setProperties(p);
        paho.publish(Topics.control("t1"), m).waitForCompletion(5000);
        Await.until(() -> reply.get() != null, 10_000, "reply on control/reply");
        assertEquals("r1", reply.get().getRequestId());
        assertArrayEquals("c-42".getBytes(StandardCharsets.UTF_8), correlation.get());
        Thread.sleep(2000); // a refused publish would have closed the bridge's connection by now
        assertEquals(List.of(), elsewhere, "nothing published on another robot's topics");
        assertEquals(0, bridge.mqtt().disconnectCount(), "the bridge was never disconnected");
      } finally {
        Paho.close(paho);
      }
    }
  }
}
