package io.optimus.bridge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.mqtt.BrokerUnavailableException;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.TlsSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.common.FileTrees;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.OperatorFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The endpoint against a real Mosquitto process (skipped when mosquitto is absent, unless CI=true). */
class MosquittoTest {

  @Test
  void framesRoundTripThroughMosquitto() {
    try (MosquittoBroker broker = Brokers.mosquitto();
        MqttEndpoint bridge = MqttEndpoint.connect(MqttSettings.of(broker.url(), "m-bridge"));
        MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(broker.url(), "m-op"))) {
      List<Long> got = new CopyOnWriteArrayList<>();
      bridge.subscribe(Topics.operator("m1"), 0, OperatorFrame.parser(), (t, f) -> got.add(f.getSequence()));
      op.publish(Topics.operator("m1"), new byte[] {7, 7, 7}, 0, false, 1);
      for (long s = 1; s <= 20; s++) {
        op.publishOperatorFrame("m1", OperatorFrame.newBuilder().setSequence(s).build());
      }
      Await.until(() -> got.contains(20L), 5000, "frame 20");
      assertEquals(1, bridge.garbageCount());
    }
  }

  /** The shipped ACL example: bob cannot command alice's robot; alice can. */
  @Test
  void shippedAclKeepsOperatorsOffOtherOperatorsRobots() throws Exception {
    Brokers.assumeMosquitto();
    Path dir = Files.createTempDirectory("optimus-acl-");
    try {
      Path acl = dir.resolve("acl");
      try (InputStream in = MosquittoBroker.class.getResourceAsStream("mosquitto/acl.example")) {
        Files.copy(in, acl);
      }
      Path passwd = dir.resolve("passwd");
      Files.createFile(passwd);
      for (String[] up : new String[][] {{"bridge-r1", "b1pass"}, {"alice", "apass"}, {"bob", "bpass"}}) {
        run("mosquitto_passwd", "-b", passwd.toString(), up[0], up[1]);
      }
      try (MosquittoBroker broker = Brokers.mosquitto(MosquittoBroker.authConfig(passwd, acl))) {
        MqttSettings base = MqttSettings.of(broker.url(), "x");
        try (MqttEndpoint bridge = MqttEndpoint.connect(base.withClientId("bridge-r1").withCredentials("bridge-r1", "b1pass"));
            MqttEndpoint alice = MqttEndpoint.connect(base.withClientId("alice").withCredentials("alice", "apass"));
            MqttEndpoint bob = MqttEndpoint.connect(base.withClientId("bob").withCredentials("bob", "bpass"))) {
          List<String> got = new CopyOnWriteArrayList<>();
          bridge.subscribe(Topics.operator("r1"), 0, OperatorFrame.parser(), (t, f) -> got.add(f.getOperatorId()));
          bridge.subscribe(Topics.control("r1"), 1, ControlRequest.parser(), (t, c) -> got.add(c.getRequester()));

          // bob's attempts, acknowledged by the broker (QoS 1) before alice sends anything
          ControlRequest bobEstop = ControlRequest.newBuilder().setRequester("bob")
              .setEstop(EstopRequest.newBuilder().setReason("prank")).build();
          bob.publishAndWait(Topics.control("r1"), bobEstop, 1, false);
          bob.publishAndWait(Topics.operator("r1"), OperatorFrame.newBuilder().setOperatorId("bob").build(), 1, false);

          alice.publishAndWait(Topics.operator("r1"), OperatorFrame.newBuilder().setOperatorId("alice").build(), 1, false);
          alice.publishAndWait(Topics.control("r1"), ControlRequest.newBuilder().setRequester("alice").build(), 1, false);
          Await.until(() -> got.size() >= 2, 5000, "alice's frame and request");
          assertEquals(List.of("alice", "alice"), got, "only alice's messages may reach r1");
        }
        BrokerUnavailableException wrong = assertThrows(BrokerUnavailableException.class,
            () -> MqttEndpoint.connect(base.withClientId("mallory").withCredentials("alice", "nope")));
        assertTrue(wrong.getMessage().contains("not authorized"), wrong.getMessage());
      }
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  /** The whole bridge on Mosquitto: frames in, JointState with the operator sequence out. */
  @Test
  void bridgeRunsOnMosquitto() {
    try (MosquittoBroker broker = Brokers.mosquitto()) {
      io.optimus.motion.model.RobotRig rig = new io.optimus.motion.model.RobotRig(
          io.optimus.motion.model.Robots.load("optimus"));
      int elbow = rig.model().qIndex("right_elbow_joint");
      java.util.concurrent.atomic.AtomicReference<io.optimus.proto.v1.JointState> state =
          new java.util.concurrent.atomic.AtomicReference<>();
      try (io.optimus.bridge.RobotBridge bridge = io.optimus.bridge.RobotBridge.builder(rig,
              // kinematic: in physics the table stops the hanging forearm short of the commanded elbow angle
              io.optimus.bridge.BridgeConfig.defaults("mq1").withCamera(0)
                  .withWorld(io.optimus.bridge.sim.SimulatedWorlds.KINEMATIC))
              .mqtt(MqttSettings.of(broker.url(), "x"))
              .retargeter((f, dt, q, out) -> {
                System.arraycopy(rig.home(), 0, out, 0, out.length);
                out[elbow] = -f.getRight().getTrigger();
              })
              .start();
          MqttEndpoint watch = MqttEndpoint.connect(MqttSettings.of(broker.url(), "mq-watch"));
          MqttEndpoint opc = MqttEndpoint.connect(MqttSettings.of(broker.url(), "mq-op"))) {
        watch.subscribe(Topics.state("mq1"), 0, io.optimus.proto.v1.JointState.parser(), (t, st) -> state.set(st));
        io.optimus.bridge.testing.Operator op = new io.optimus.bridge.testing.Operator(opc, "mq1");
        long end = System.nanoTime() + 4_000_000_000L;
        int n = 0;
        while (System.nanoTime() < end && (state.get() == null || Math.abs(state.get().getPosition(elbow) + 0.9) > 0.02)) {
          op.send(n++ > 10, 0.9f);
          java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L); // 90 Hz operator
        }
        io.optimus.proto.v1.JointState st = state.get();
        assertEquals(-0.9, st.getPosition(elbow), 0.02);
        assertTrue(st.getOperatorSequence() > 10);
      }
    }
  }

  /** TLS to Mosquitto with a private CA: trusted with --ca, refused without. */
  @Test
  void tlsWithAPrivateCa() throws Exception {
    Brokers.assumeMosquitto();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/openssl")),
        "openssl not installed");
    Path dir = Files.createTempDirectory("optimus-tls-");
    try {
      run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=optimus-test-ca",
          "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString());
      run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
          "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString());
      Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
      run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.crt").toString(),
          "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2", "-extfile",
          dir.resolve("ext.cnf").toString(), "-out", dir.resolve("server.crt").toString());
      int tlsPort = EmbeddedBroker.freePort("127.0.0.1");
      try (MosquittoBroker broker = Brokers.mosquitto(List.of("allow_anonymous true",
          "listener " + tlsPort + " 127.0.0.1", "cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"),
          "keyfile " + dir.resolve("server.key")))) {
        String url = "ssl://127.0.0.1:" + tlsPort;
        Await.until(() -> {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", tlsPort)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        }, 5000, "the TLS listener");
        try (MqttEndpoint a = MqttEndpoint.connect(MqttSettings.of(url, "tls-a").withTls(new TlsSettings(dir.resolve("ca.crt"), true)));
            MqttEndpoint b = MqttEndpoint.connect(MqttSettings.of(url, "tls-b").withTls(new TlsSettings(dir.resolve("ca.crt"), true)))) {
          List<Long> got = new CopyOnWriteArrayList<>();
          a.subscribe(Topics.operator("t1"), 0, OperatorFrame.parser(), (t, f) -> got.add(f.getSequence()));
          b.publishAndWait(Topics.operator("t1"), OperatorFrame.newBuilder().setSequence(5).build(), 1, false);
          Await.until(() -> got.contains(5L), 5000, "frame over TLS");
        }
        // the JDK's default trust store does not know our CA
        assertThrows(BrokerUnavailableException.class, () -> MqttEndpoint.connect(MqttSettings.of(url, "tls-c")
            .withTls(TlsSettings.systemDefaults())));
      }
    } finally {
      FileTrees.deleteQuietly(dir);
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
  }
}
