package io.optimus.bridge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.mqtt.auth.BrokerUser;
import io.optimus.bridge.mqtt.auth.BrokerUsers;
import io.optimus.bridge.mqtt.auth.PasswordHash;
import io.optimus.bridge.mqtt.auth.Role;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Paho;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSocket (the dashboard's transport), with Paho's ws:// client: the embedded HiveMQ's
 * listener applies the same logins and role ACL as its TCP one; Mosquitto's {@code protocol websockets}
 * listener carries the same traffic.
 */
class WebSocketListenerTest {
  private static BrokerUser user(String name, Role role, String robot, String pw) {
    return new BrokerUser(name, role, List.of(robot), PasswordHash.of(pw.toCharArray(), PasswordHash.MIN_ITERATIONS));
  }

  @Test
  void embeddedBrokerWebSocketListenerChecksLoginsAndRoles() throws Exception {
    BrokerUsers users = BrokerUsers.of(List.of(user("bridge-w1", Role.BRIDGE, "w1", "b-pw"),
        user("watcher", Role.OBSERVER, "*", "w-pw"), user("pilot", Role.OPERATOR, "w1", "p-pw")));
    try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(users).withWebSocket(0))) {
      assertTrue(broker.wsUrl().matches("ws://127\\.0\\.0\\.1:\\d+/mqtt"), broker.wsUrl());
      // refused (Paho over ws reports the CONNACK's code, or 0 when HiveMQ closed the socket first)
      assertTrue(List.of(0, 0x86).contains(refusal(broker.wsUrl(), "watcher-x", "watcher", "wrong")), "bad password over ws");
      assertTrue(List.of(0, 0x87).contains(refusal(broker.wsUrl(), "anon", null, null)), "no anonymous login over ws");
      MqttAsyncClient bridge = Paho.connect(broker.url(), "bridge-w1", "bridge-w1", "b-pw"); // TCP
      MqttAsyncClient watcher = Paho.connect(broker.wsUrl(), "watcher-page", "watcher", "w-pw"); // WebSocket
      MqttAsyncClient pilot = Paho.connect(broker.wsUrl(), "pilot-page", "pilot", "p-pw");
      try {
        List<String> seen = Paho.sink();
        assertEquals(1, Paho.subscribe(watcher, "optimus/v1/+/status", seen), "an observer of * lists the fleet");
        assertEquals(0, Paho.publish(bridge, "optimus/v1/w1/status", "up", true) & 0x80);
        Await.until(() -> seen.contains("optimus/v1/w1/status up"), 10_000, () -> "status over ws: " + seen);
        assertEquals(0x87, Paho.publish(watcher, "optimus/v1/w1/control", "estop", false), "an observer may not act");
        List<String> control = Paho.sink();
        Paho.subscribe(bridge, "optimus/v1/w1/control", control);
        assertEquals(0, Paho.publish(pilot, "optimus/v1/w1/control", "estop", false) & 0x80, "an operator may");
        Await.until(() -> control.contains("optimus/v1/w1/control estop"), 10_000, "the operator's request reaches the bridge");
      } finally {
        Paho.close(bridge);
        Paho.close(watcher);
        Paho.close(pilot);
      }
    }
  }

  /** The CONNACK reason code of a refused login; fails if the login is let in. */
  private static int refusal(String url, String clientId, String user, String password) {
    try {
      Paho.close(Paho.connect(url, clientId, user, password));
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      return e.getReasonCode();
    }
    throw new AssertionError(user + " was let in over " + url);
  }

  @Test
  void noWebSocketListenerUnlessAsked() {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      assertEquals(-1, broker.wsPort());
      assertEquals(null, broker.wsUrl());
    }
  }

  @Test
  void mosquittoServesTheSameTrafficOverWebSocket() throws Exception {
    Brokers.assumeMosquitto();
    int ws = EmbeddedBroker.freePort("127.0.0.1");
    try (MosquittoBroker m = MosquittoBroker.start(List.of("allow_anonymous true", "listener " + ws + " 127.0.0.1",
        "protocol websockets"))) {
      MqttAsyncClient tcp = Paho.connect(m.url(), "bridge-m1", null, null);
      MqttAsyncClient page = Paho.connect("ws://127.0.0.1:" + ws, "page-m1", null, null);
      try {
        List<String> seen = Paho.sink();
        Paho.subscribe(page, "optimus/v1/+/status", seen);
        Paho.publish(tcp, "optimus/v1/m1/status", "up", true);
        Await.until(() -> seen.contains("optimus/v1/m1/status up"), 10_000, () -> "a TCP publish reaches the ws page: " + seen);
      } finally {
        Paho.close(tcp);
        Paho.close(page);
      }
    }
  }
}
