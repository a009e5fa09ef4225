package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.broker.MosquittoBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.testing.Brokers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped Mosquitto ACL (mosquitto/acl.example) holds the same role table as the embedded broker. */
class MosquittoAclTest {
  @org.junit.jupiter.api.io.TempDir
  static Path dir;
  private static MosquittoBroker broker;
  private static AclChecks acl;

  @BeforeAll
  static void start() throws Exception {
    broker = shipped(dir, AclChecks.PASSWORDS);
    acl = new AclChecks(broker.url(), false);
  }

  /** Mosquitto with the shipped ACL and a mosquitto_passwd file of these users (skips without Mosquitto). */
  static MosquittoBroker shipped(Path dir, Map<String, String> passwords) throws Exception {
    Brokers.assumeMosquitto();
    Path aclFile = dir.resolve("acl");
    try (InputStream in = MosquittoBroker.class.getResourceAsStream("mosquitto/acl.example")) {
      assertNotNull(in, "robot-bridge ships mosquitto/acl.example");
      Files.copy(in, aclFile);
    }
    Path passwd = dir.resolve("passwd");
    Files.createFile(passwd);
    for (Map.Entry<String, String> up : passwords.entrySet()) {
      Process p = new ProcessBuilder("mosquitto_passwd", "-b", passwd.toString(), up.getKey(), up.getValue())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd: " + out);
    }
    return Brokers.mosquitto(MosquittoBroker.authConfig(passwd, aclFile));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
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

  /** Mosquitto replaces the client id by the user name: alice's "bridge-r2" becomes "alice", the bridge stays. */
  @Test
  void spoofedClientIdDoesNotTakeOverTheBridge() throws Exception {
    assertFalse(acl.spoofedBridgeIdLeavesTheBridgeConnected(), "Mosquitto accepts the login under alice's own id");
  }
}
