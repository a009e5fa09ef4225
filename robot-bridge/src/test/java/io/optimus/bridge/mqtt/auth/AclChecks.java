package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Paho;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

/**
 * The role table checked against a running broker (embedded HiveMQ with a password file, or Mosquitto
 * with the shipped ACL), with the same users: bridge-r1, bridge-r2, alice (operator of r1), bob
 * (operator of r2), policy-r1, viewer (observer of r1), pilot (supervisor of every robot). Denied messages are checked twice: by the
 * PUBACK/SUBACK reason code and by a subscriber with the right to read that never sees them.
 */
final class AclChecks {
  static final Map<String, String> PASSWORDS = Map.of("bridge-r1", "b1-pass", "bridge-r2", "b2-pass", "alice",
      "alice-pass", "bob", "bob-pass", "policy-r1", "policy-pass", "viewer", "viewer-pass", "pilot", "pilot-pass");

  private final String url;
  private final boolean refusesSubscriptions;

  /**
   * @param refusesSubscriptions the broker answers a forbidden SUBSCRIBE with SUBACK 0x87 (HiveMQ);
   *     Mosquitto 2.0 grants it and then delivers nothing the user may not read
   */
  AclChecks(String url, boolean refusesSubscriptions) {
    this.url = url;
    this.refusesSubscriptions = refusesSubscriptions;
  }

  /** Subscribes to what {@code c} may not read; the returned sink must stay empty. */
  List<String> subscribeDenied(MqttAsyncClient c, String filter) throws Exception {
    List<String> sink = Paho.sink();
    int code = Paho.subscribe(c, filter, sink);
    if (refusesSubscriptions) {
      assertEquals(Paho.NOT_AUTHORIZED, code, "SUBACK for " + filter);
    }
    return sink;
  }

  MqttAsyncClient login(String user, String clientId) throws Exception {
    return Paho.connect(url, clientId, user, PASSWORDS.get(user));
  }

  /**
   * A QoS 1 publish the broker must refuse with PUBACK 0x87, on a connection of its own (HiveMQ
   * closes a connection after a refused PUBLISH; Mosquitto keeps it).
   */
  void assertPublishDenied(String user, String topic, boolean retained) throws Exception {
    MqttAsyncClient c = login(user, user + "-" + Integer.toHexString(topic.hashCode()));
    try {
      assertEquals(Paho.NOT_AUTHORIZED, Paho.publish(c, topic, user + "-was-here", retained),
          user + " publishing " + (retained ? "retained " : "") + topic);
    } finally {
      Paho.close(c);
    }
  }

  void anonymousAndWrongPasswordsAreRefused() {
    int anonymous = Paho.connackCode(url, "anon", null, null);
    assertTrue(anonymous == 0x86 || anonymous == Paho.NOT_AUTHORIZED, "anonymous: 0x" + Integer.toHexString(anonymous));
    int wrong = Paho.connackCode(url, "alice", "alice", "not-her-password");
    assertTrue(wrong == 0x86 || wrong == Paho.NOT_AUTHORIZED, "wrong password: CONNACK 0x" + Integer.toHexString(wrong));
    int unknown = Paho.connackCode(url, "mallory", "mallory", "alice-pass");
    assertTrue(unknown == 0x86 || unknown == Paho.NOT_AUTHORIZED, "unknown user: 0x" + Integer.toHexString(unknown));
  }

  /** alice drives r1 only: r2's topics, another operator's status and what observers may not read are denied. */
  void operatorIsConfinedToHerRobot() throws Exception {
    MqttAsyncClient b1 = login("bridge-r1", "bridge-r1");
    MqttAsyncClient b2 = login("bridge-r2", "bridge-r2");
    MqttAsyncClient alice = null;
    try {
      List<String> r1 = Paho.sink();
      List<String> r2 = Paho.sink();
      for (String t : List.of("operator", "command", "control")) {
        assertTrue(Paho.subscribe(b1, Topics.robot("r1") + "/" + t, r1) < 0x80, "bridge-r1 reads r1/" + t);
        assertTrue(Paho.subscribe(b2, Topics.robot("r2") + "/" + t, r2) < 0x80, "bridge-r2 reads r2/" + t);
      }
      assertTrue(Paho.subscribe(b1, Topics.PREFIX + "/operators/+/status", r1) < 0x80);
      // denied attempts first: each on its own connection, which Mosquitto (one session per user) would take over
      assertPublishDenied("alice", Topics.operator("r2"), false);
      assertPublishDenied("alice", Topics.control("r2"), false);
      assertPublishDenied("alice", Topics.command("r1"), false); // an operator sends frames, not joint commands
      assertPublishDenied("alice", Topics.operatorStatus("bob"), false); // another operator's name
      assertPublishDenied("alice", Topics.status("r1"), true); // the bridge's presence

      alice = login("alice", "alice-1");
      List<String> deniedR2 = subscribeDenied(alice, Topics.state("r2"));
      List<String> deniedFrames = subscribeDenied(alice, Topics.operator("r1")); // observers may not read them either
      List<String> all = Paho.sink();
      int allCode = Paho.subscribe(alice, Topics.PREFIX + "/#", all); // Mosquitto: only what she may read arrives
      assertTrue(!refusesSubscriptions || allCode == Paho.NOT_AUTHORIZED, "SUBACK for # 0x" + Integer.toHexString(allCode));
      // what she may do arrives, after the denied attempts
      assertTrue(Paho.publish(alice, Topics.operator("r1"), "alice-frame", false) < 0x80);
      assertTrue(Paho.publish(alice, Topics.operatorStatus("alice"), "alice-online", true) < 0x80);
      List<String> r1State = Paho.sink();
      assertTrue(Paho.subscribe(alice, Topics.state("r1"), r1State) < 0x80, "alice reads r1/state");
      assertTrue(Paho.publish(b2, Topics.state("r2"), "r2-state", false) < 0x80);
      assertTrue(Paho.publish(b1, Topics.state("r1"), "r1-state", false) < 0x80);
      Await.until(() -> r1.size() >= 2 && !r1State.isEmpty(), 5000, "alice's frame and status at bridge-r1, r1's state");
      Thread.sleep(300); // anything wrongly forwarded would have arrived by now
      assertEquals(List.of(Topics.operator("r1") + " alice-frame", Topics.operatorStatus("alice") + " alice-online"),
          r1.stream().filter(s -> !s.startsWith(Topics.PREFIX + "/operators/") || s.contains("alice")).toList());
      assertEquals(List.of(), r2, "nothing of alice's may reach r2");
      assertEquals(List.of(), deniedR2, "r2's state is not alice's to read");
      assertEquals(List.of(), deniedFrames, "nor are r1's operator frames");
      assertTrue(all.stream().allMatch(m -> m.startsWith(Topics.state("r1") + " ")), "through #: " + all);
      Paho.publish(alice, Topics.operatorStatus("alice"), "", true); // clear the retained status
    } finally {
      if (alice != null) {
        Paho.close(alice);
      }
      Paho.close(b1);
      Paho.close(b2);
    }
  }

  /** An observer reads the robot view and publishes nothing anywhere; a policy commands its robot only. */
  void observerPublishesNothing() throws Exception {
    MqttAsyncClient b1 = login("bridge-r1", "bridge-r1");
    MqttAsyncClient viewer = null;
    MqttAsyncClient policy = null;
    try {
      List<String> seen = Paho.sink();
      for (String t : List.of("operator", "command", "shadow", "control")) {
        assertTrue(Paho.subscribe(b1, Topics.robot("r1") + "/" + t, seen) < 0x80);
      }
      assertTrue(Paho.subscribe(b1, Topics.PREFIX + "/operators/+/status", seen) < 0x80);
      for (String t : List.of(Topics.operator("r1"), Topics.command("r1"), Topics.shadow("r1"), Topics.control("r1"),
          Topics.state("r1"), Topics.status("r1"), Topics.operatorStatus("viewer"))) {
        assertPublishDenied("viewer", t, false);
      }
      assertPublishDenied("policy-r1", Topics.operator("r1"), false);
      assertPublishDenied("policy-r1", Topics.command("r2"), false);
      assertPublishDenied("policy-r1", Topics.shadow("r2"), false); // a shadow of its own robot only
      assertPublishDenied("alice", Topics.shadow("r1"), false); // predictions come from policies, not operators

      viewer = login("viewer", "viewer");
      policy = login("policy-r1", "policy-r1-7");
      List<String> viewed = Paho.sink();
      assertTrue(Paho.subscribe(viewer, Topics.state("r1"), viewed) < 0x80, "viewer reads r1/state");
      assertTrue(Paho.subscribe(viewer, Topics.camera("r1", "head"), viewed) < 0x80, "viewer reads r1 camera");
      List<String> deniedControl = subscribeDenied(viewer, Topics.control("r1"));
      assertTrue(Paho.publish(policy, Topics.command("r1"), "policy-command", false) < 0x80);
      assertTrue(Paho.publish(policy, Topics.control("r1"), "policy-control", false) < 0x80);
      assertTrue(Paho.publish(policy, Topics.shadow("r1"), "policy-shadow", false) < 0x80);
      assertTrue(Paho.publish(b1, Topics.state("r1"), "state-1", false) < 0x80, "bridge publishes r1/state");
      Await.until(() -> seen.size() >= 3 && viewed.size() >= 1, 5000, "the policy's command, request and shadow, the state");
      Thread.sleep(300);
      assertEquals(List.of(Topics.command("r1") + " policy-command", Topics.control("r1") + " policy-control",
          Topics.shadow("r1") + " policy-shadow"), seen);
      assertEquals(List.of(), deniedControl, "control requests are not the viewer's to read");
      assertEquals(List.of(Topics.state("r1") + " state-1"), viewed);
    } finally {
      for (MqttAsyncClient c : new MqttAsyncClient[] {policy, viewer}) {
        if (c != null) {
          Paho.close(c);
        }
      }
      Paho.close(b1);
    }
  }

  /**
   * A supervisor publishes requests on her own supervise topic of any robot (the bridge reads them) and
   * reads the robot view; not on another user's supervise topic, nor control, operator or command. An
   * observer and an operator cannot publish on any supervise topic.
   */
  void supervisorActsOnlyOnHerOwnTopic() throws Exception {
    MqttAsyncClient b1 = login("bridge-r1", "bridge-r1");
    MqttAsyncClient b2 = login("bridge-r2", "bridge-r2");
    MqttAsyncClient pilot = null;
    try {
      List<String> r1 = Paho.sink();
      List<String> r2 = Paho.sink();
      assertTrue(Paho.subscribe(b1, Topics.superviseAll("r1"), r1) < 0x80, "bridge-r1 reads r1/supervise/+");
      assertTrue(Paho.subscribe(b2, Topics.superviseAll("r2"), r2) < 0x80, "bridge-r2 reads r2/supervise/+");
      assertPublishDenied("pilot", Topics.supervise("r1", "alice"), false); // another user's name
      assertPublishDenied("pilot", Topics.supervise("r1", "viewer"), false);
      for (String t : List.of(Topics.control("r1"), Topics.operator("r1"), Topics.command("r1"), Topics.state("r1"),
          Topics.operatorStatus("pilot"))) {
        assertPublishDenied("pilot", t, false);
      }
      assertPublishDenied("viewer", Topics.supervise("r1", "viewer"), false);
      assertPublishDenied("viewer", Topics.supervise("r1", "pilot"), false);
      assertPublishDenied("alice", Topics.supervise("r1", "alice"), false); // operators reset with the chord
      assertPublishDenied("alice", Topics.supervise("r1", "pilot"), false);

      pilot = login("pilot", "pilot-dash");
      List<String> viewed = Paho.sink();
      assertTrue(Paho.subscribe(pilot, Topics.state("r2"), viewed) < 0x80, "pilot reads r2/state (every robot)");
      assertTrue(Paho.subscribe(pilot, Topics.controlReply("r1"), viewed) < 0x80, "pilot reads r1's replies");
      List<String> deniedControl = subscribeDenied(pilot, Topics.control("r1"));
      List<String> deniedOthers = subscribeDenied(pilot, Topics.superviseAll("r1"));
      assertTrue(Paho.publish(pilot, Topics.supervise("r1", "pilot"), "pilot-stop-r1", false) < 0x80);
      assertTrue(Paho.publish(pilot, Topics.supervise("r2", "pilot"), "pilot-stop-r2", false) < 0x80);
      assertTrue(Paho.publish(b2, Topics.state("r2"), "r2-state", false) < 0x80);
      Await.until(() -> !r1.isEmpty() && !r2.isEmpty() && !viewed.isEmpty(), 5000, "the pilot's requests, r2's state");
      Thread.sleep(300);
      assertEquals(List.of(Topics.supervise("r1", "pilot") + " pilot-stop-r1"), r1);
      assertEquals(List.of(Topics.supervise("r2", "pilot") + " pilot-stop-r2"), r2);
      assertEquals(List.of(Topics.state("r2") + " r2-state"), viewed);
      assertEquals(List.of(), deniedControl, "control requests are not the pilot's to read");
      assertEquals(List.of(), deniedOthers, "nor other supervisors' requests");
    } finally {
      if (pilot != null) {
        Paho.close(pilot);
      }
      Paho.close(b1);
      Paho.close(b2);
    }
  }

  /** A client connecting with bridge-r2's client id under another login never takes over bridge-r2's session. */
  boolean spoofedBridgeIdLeavesTheBridgeConnected() throws Exception {
    MqttAsyncClient bridge = login("bridge-r2", "bridge-r2");
    try {
      List<String> got = Paho.sink();
      assertTrue(Paho.subscribe(bridge, Topics.operator("r2"), got) < 0x80);
      boolean refused;
      try {
        MqttAsyncClient spoof = login("alice", "bridge-r2");
        refused = false;
        Paho.close(spoof);
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        refused = true;
      }
      Thread.sleep(300);
      assertTrue(bridge.isConnected(), "the real bridge-r2 must stay connected");
      MqttAsyncClient bob = login("bob", "bob-2");
      try {
        assertTrue(Paho.publish(bob, Topics.operator("r2"), "bob-frame", false) < 0x80);
        Await.until(() -> got.contains(Topics.operator("r2") + " bob-frame"), 5000, "bob's frame at the real bridge-r2");
      } finally {
        Paho.close(bob);
      }
      return refused;
    } finally {
      Paho.close(bridge);
    }
  }
}
