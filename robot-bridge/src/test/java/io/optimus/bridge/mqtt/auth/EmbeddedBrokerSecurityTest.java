package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.mqtt.BrokerUnavailableException;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.TlsSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Paho;
import io.optimus.common.InputException;
import io.optimus.proto.v1.OperatorFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded HiveMQ with a password file, against real Paho MQTT 5 clients. */
class EmbeddedBrokerSecurityTest {
  private static EmbeddedBroker broker;
  private static AclChecks acl;

  /** The users of {@link AclChecks}; a low iteration count keeps the many logins quick. */
  static BrokerUsers users() {
    Map<String, String[]> roles = Map.of("bridge-r1", new String[] {"bridge", "r1"}, "bridge-r2",
        new String[] {"bridge", "r2"}, "alice", new String[] {"operator", "r1"}, "bob", new String[] {"operator", "r2"},
        "policy-r1", new String[] {"policy", "r1"}, "viewer", new String[] {"observer", "r1"},
        "pilot", new String[] {"supervisor", "*"});
    List<BrokerUser> list = new ArrayList<>();
    roles.forEach((name, rr) -> list.add(new BrokerUser(name, Role.parse(rr[0]), List.of(rr[1]),
        PasswordHash.of(AclChecks.PASSWORDS.get(name).toCharArray(), PasswordHash.MIN_ITERATIONS))));
    return BrokerUsers.of(list);
  }

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(users()));
    acl = new AclChecks(broker.url(), true);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void anonymousAndWrongPasswordsAreRefused() {
    acl.anonymousAndWrongPasswordsAreRefused();
  }

  @Test
  void operatorIsConfinedToHerRobot() throws Exception {
    acl.operatorIsConfinedToHerRobot();
  }

  @Test
  void observerPublishesNothing() throws Exception {
    acl.observerPublishesNothing();
  }

  @Test
  void supervisorActsOnlyOnHerOwnTopic() throws Exception {
    acl.supervisorActsOnlyOnHerOwnTopic();
  }

  @Test
  void clientIdOfAnotherUserIsRefusedAndTheBridgeStaysConnected() throws Exception {
    assertTrue(acl.spoofedBridgeIdLeavesTheBridgeConnected(), "alice connecting as client bridge-r2 must be refused");
    assertEquals(0x85, Paho.connackCode(broker.url(), "bridge-r10", "bridge-r1", AclChecks.PASSWORDS.get("bridge-r1")),
        "bridge-r10 is not bridge-r1's client id");
    assertEquals(0, Paho.connackCode(broker.url(), "bridge-r1-x", "bridge-r1", AclChecks.PASSWORDS.get("bridge-r1")));
  }

  @Test
  void commandsAndFramesCannotBeRetained() throws Exception {
    acl.assertPublishDenied("alice", Topics.control("r1"), true);
    acl.assertPublishDenied("alice", Topics.operator("r1"), true);
    acl.assertPublishDenied("policy-r1", Topics.command("r1"), true);
  }

  /** A shared subscription would let a reader split (and so steal) a stream from the others. */
  @Test
  void sharedSubscriptionsAreRefused() throws Exception {
    MqttAsyncClient viewer = acl.login("viewer", "viewer-shared");
    try {
      assertEquals(Paho.NOT_AUTHORIZED, Paho.subscribe(viewer, "$share/g/" + Topics.state("r1"), Paho.sink()));
    } finally {
      Paho.close(viewer);
    }
  }

  /** A Last Will on a topic the user may not publish refuses the CONNECT. */
  @Test
  void lastWillOutsideTheGrantsIsRefused() throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(broker.url(), "alice-will", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
    o.setUserName("alice");
    o.setPassword(AclChecks.PASSWORDS.get("alice").getBytes());
    o.setWill(Topics.status("r1"), new org.eclipse.paho.mqttv5.common.MqttMessage("bridge r1 offline".getBytes(), 1, true, null));
    MqttException e = assertThrows(MqttException.class, () -> c.connect(o).waitForCompletion(10_000));
    assertEquals(Paho.NOT_AUTHORIZED, e.getReasonCode());
    c.close(true);
  }

  @Test
  void nonLoopbackWithoutUsersIsRefusedUnlessInsecure() {
    InputException e = assertThrows(InputException.class,
        () -> EmbeddedBroker.start(BrokerOptions.loopback(0).withBind("0.0.0.0")));
    assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0 without authentication"), e.getMessage());
    assertTrue(e.getMessage().contains("--insecure"), e.getMessage());
    try (EmbeddedBroker open = EmbeddedBroker.start(BrokerOptions.loopback(0).withBind("0.0.0.0").withInsecure(true));
        MqttEndpoint c = MqttEndpoint.connect(MqttSettings.of("tcp://127.0.0.1:" + open.port(), "anyone"))) {
      assertTrue(c.clientId().equals("anyone"));
    }
  }

  /** TLS with a keystore made by keytool: a client trusting its certificate logs in; plain TCP to it fails. */
  @Test
  void tlsListenerWithAKeytoolKeystore(@TempDir Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path ks = dir.resolve("broker.p12");
    run(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "ks-secret", "-keypass", "ks-secret");
    Path pem = dir.resolve("broker.pem");
    run(keytool.toString(), "-exportcert", "-rfc", "-alias", "broker", "-keystore", ks.toString(), "-storepass",
        "ks-secret", "-file", pem.toString());
    InputException wrong = assertThrows(InputException.class, () -> EmbeddedBroker.start(BrokerOptions.loopback(0)
        .withUsers(users()).withTls(new BrokerOptions.Keystore(ks, "not-the-password"))));
    assertTrue(wrong.getMessage().startsWith("--tls-keystore " + ks + ": not a PKCS12/JKS keystore, or a wrong password"),
        wrong.getMessage());
    InputException garbage = assertThrows(InputException.class, () -> EmbeddedBroker.start(BrokerOptions.loopback(0)
        .withTls(new BrokerOptions.Keystore(pem, "ks-secret"))));
    assertTrue(garbage.getMessage().startsWith("--tls-keystore " + pem + ": "), garbage.getMessage());
    try (EmbeddedBroker tls = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(users())
        .withTls(new BrokerOptions.Keystore(ks, "ks-secret")))) {
      assertTrue(tls.url().startsWith("ssl://127.0.0.1:"), tls.url());
      MqttSettings alice = MqttSettings.of(tls.url(), "alice-tls").withCredentials("alice", AclChecks.PASSWORDS.get("alice"))
          .withTls(new TlsSettings(pem, true));
      MqttSettings bridge = MqttSettings.of(tls.url(), "bridge-r1").withCredentials("bridge-r1",
          AclChecks.PASSWORDS.get("bridge-r1")).withTls(new TlsSettings(pem, true));
      try (MqttEndpoint b = MqttEndpoint.connect(bridge); MqttEndpoint a = MqttEndpoint.connect(alice)) {
        List<Long> got = new CopyOnWriteArrayList<>();
        b.subscribe(Topics.operator("r1"), 1, OperatorFrame.parser(), (t, f) -> got.add(f.getSequence()));
        a.publishAndWait(Topics.operator("r1"), OperatorFrame.newBuilder().setSequence(42).build(), 1, false);
        Await.until(() -> got.contains(42L), 5000, "a frame over TLS");
      }
      String plain = "tcp://127.0.0.1:" + tls.port();
      assertThrows(BrokerUnavailableException.class, () -> MqttEndpoint.connect(MqttSettings.of(plain, "alice-plain")
          .withCredentials("alice", AclChecks.PASSWORDS.get("alice"))));
      // and the JDK's default trust store does not know this self-signed certificate
      assertThrows(BrokerUnavailableException.class, () -> MqttEndpoint.connect(MqttSettings.of(tls.url(), "alice-x")
          .withCredentials("alice", AclChecks.PASSWORDS.get("alice"))));
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
  }
}
