package io.optimus.teleop.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.BrokerUnavailableException;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.broker.MosquittoBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optimus teleop} against a real, attended robot bridge (the real retargeter, safety supervisor
 * and simulated body): a motion clip engages it (its deadman lead-in is a deliberate press), and an
 * operator logs in to a password-protected Mosquitto with the shipped ACL and drives it.
 */
class TeleopAgainstBridgeTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  /** Set by surefire (teleop-vr/pom.xml): the clients read passwords from the environment only. */
  private static final String PASSWORD_VAR = "OPTIMUS_TEST_MQTT_PASSWORD";
  private static final String WRONG_PASSWORD_VAR = "OPTIMUS_TEST_MQTT_WRONG_PASSWORD";

  @TempDir Path tmp;

  /** A bridge as {@code optimus bridge} runs one: attended (motion only on a deadman press), camera off. */
  private static RobotBridge bridge(String robotId, MqttSettings mqtt) {
    return bridge(robotId, mqtt, true);
  }

  /** {@code estopConnection} off for Mosquitto's one connection per user (use_username_as_clientid). */
  private static RobotBridge bridge(String robotId, MqttSettings mqtt, boolean estopConnection) {
    return RobotBridge.builder(RIG, BridgeConfig.defaults(robotId).withCamera(0))
        .mqtt(mqtt)
        .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
        .estopConnection(estopConnection)
        .start();
  }

  private static List<SafetyEventType> safetyEvents(RobotBridge bridge) {
    List<SafetyEventType> events = new CopyOnWriteArrayList<>();
    bridge.supervisor().addListener((SafetyEvent e) -> events.add(e.getType()));
    return events;
  }

  /** How far (rad, largest joint) the robot moved from its home pose. */
  private static double movedFromHome(RobotBridge bridge) {
    double[] q = new double[RIG.dof()];
    bridge.loop().snapshot(q);
    double[] home = RIG.home();
    double max = 0;
    for (int i = 0; i < q.length; i++) {
      max = Math.max(max, Math.abs(q[i] - home[i]));
    }
    return max;
  }

  /** Runs the command; {@code failure} gets what it threw (the CLI turns that into one line). */
  private static int teleop(StringWriter err, AtomicReference<Exception> failure, String... args) {
    CommandLine cli = new CommandLine(new TeleopCommand());
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      failure.set(ex);
      return 1;
    });
    return cli.execute(args);
  }

  @Test
  void bvhClipEngagesAnAttendedBridge() {
    Path clip = io.optimus.motion.testing.SharedData.mocapClip(io.optimus.motion.testing.SharedData.CMU_WALK);
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        RobotBridge bridge = bridge("bvh1", MqttSettings.of(broker.url(), "bridge-bvh1"))) {
      List<SafetyEventType> events = safetyEvents(bridge);
      StringWriter err = new StringWriter();
      AtomicReference<Exception> failure = new AtomicReference<>();
      int code = teleop(err, failure, "--robot-id", "bvh1", "--broker", broker.url(), "--source", "bvh:" + clip,
          "--operator-id", "mocap", "--duration", "2.5");
      assertEquals(0, code, err + " " + failure.get());
      assertTrue(events.contains(SafetyEventType.SAFETY_EVENT_ENGAGED), "the clip engaged the robot: " + events);
      assertFalse(events.contains(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED), "no refused press: " + events);
      assertTrue(bridge.inbox().acceptedCount() > 150, "frames reached the bridge: " + bridge.inbox().acceptedCount());
      assertTrue(movedFromHome(bridge) > 0.05, "the robot followed the clip: " + movedFromHome(bridge) + " rad");
    }
  }

  @Test
  void operatorWithCredentialsDrivesABridgeThroughPasswordProtectedMosquitto() throws Exception {
    String password = System.getenv(PASSWORD_VAR);
    assumeTrue(password != null, PASSWORD_VAR + " is not set (surefire sets it; run through Maven)");
    try (MosquittoBroker broker = protectedMosquitto(password);
        RobotBridge bridge = bridge("r1", MqttSettings.of(broker.url(), "bridge-r1").withCredentials("bridge-r1", "b1pass"),
            false)) {
      List<SafetyEventType> events = safetyEvents(bridge);
      StringWriter err = new StringWriter();
      AtomicReference<Exception> failure = new AtomicReference<>();
      int code = teleop(err, failure, "--robot-id", "r1", "--broker", broker.url(), "--username", "alice",
          "--password-env", PASSWORD_VAR, "--operator-id", "alice", "--source", "scripted:pick-place", "--duration", "4");
      assertEquals(0, code, err + " " + failure.get());
      assertTrue(err.toString().contains("via " + broker.url()), err.toString());
      assertTrue(events.contains(SafetyEventType.SAFETY_EVENT_ENGAGED), "alice engaged r1: " + events);
      assertTrue(bridge.inbox().acceptedCount() > 200, "frames reached the bridge: " + bridge.inbox().acceptedCount());
      assertTrue(movedFromHome(bridge) > 0.05, "the robot moved: " + movedFromHome(bridge) + " rad");
    }
  }

  @Test
  void wrongCredentialsAreOneLineNamingTheBroker() throws Exception {
    String password = System.getenv(PASSWORD_VAR);
    assumeTrue(password != null && System.getenv(WRONG_PASSWORD_VAR) != null, "surefire sets the password variables");
    try (MosquittoBroker broker = protectedMosquitto(password)) {
      for (String[] who : new String[][] {{"alice", WRONG_PASSWORD_VAR}, {"mallory", PASSWORD_VAR}}) {
        StringWriter err = new StringWriter();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        int code = teleop(err, failure, "--robot-id", "r1", "--broker", broker.url(), "--username", who[0],
            "--password-env", who[1], "--operator-id", who[0], "--source", "scripted:pick-place", "--duration", "3");
        assertNotEquals(0, code);
        Exception e = failure.get();
        assertInstanceOf(BrokerUnavailableException.class, e, "a connection failure, not a crash: " + e);
        assertEquals("cannot connect to MQTT broker " + broker.url(), e.getMessage().substring(0, e.getMessage().indexOf(" as ")),
            e.getMessage());
        assertTrue(e.getMessage().contains("not authorized (bad user name or password)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "fails at once, without retrying");
      }
    }
  }

  /** Mosquitto with passwords and the shipped ACL (robot-bridge's mosquitto/acl.example): bridge-r1 and alice. */
  private MosquittoBroker protectedMosquitto(String alicePassword) throws IOException, InterruptedException {
    if (MosquittoBroker.executable().isEmpty() || !Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd"))) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("mosquitto and mosquitto_passwd are required on CI (add mosquitto to .ci/run PKGS)");
      }
      Assumptions.abort("mosquitto not installed: skipping (apt-get install -y mosquitto)");
    }
    Path acl = tmp.resolve("acl");
    try (InputStream in = MosquittoBroker.class.getResourceAsStream("mosquitto/acl.example")) {
      assertNotNull(in, "robot-bridge ships mosquitto/acl.example");
      Files.copy(in, acl);
    }
    Path passwd = tmp.resolve("passwd");
    Files.createFile(passwd);
    for (String[] up : new String[][] {{"bridge-r1", "b1pass"}, {"alice", alicePassword}}) {
      Process p = new ProcessBuilder("/usr/bin/mosquitto_passwd", "-b", passwd.toString(), up[0], up[1])
          .redirectErrorStream(true).start();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
    }
    return MosquittoBroker.start(MosquittoBroker.authConfig(passwd, acl));
  }
}
