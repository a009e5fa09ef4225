package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Json;
import io.optimus.proto.v1.OperatorFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session lost and regained, and a runtime gone, as the robot sees them: the operator client
 * ({@code optimus teleop --source openxr --headless}, a child JVM) against teleop-vr's fake OpenXR
 * runtime, whose fault injection Monado's simulated and remote drivers cannot do, with the Khronos
 * core validation layer on (it must stay silent: no call on a destroyed handle), frames read from a
 * real MQTT broker.
 */
class SessionLossOverMqttTest {

  /** A frame as the robot received it, with the receiver's System.nanoTime. */
  record Received(OperatorFrame frame, long receivedNs) {}

  @TempDir Path dir;

  private Path fakeRuntime() throws Exception {
    return FakeRuntimeBuild.manifest(dir, "session-loss tests");
  }

  private Process teleop(String brokerUrl, String script) throws Exception {
    Path manifest = fakeRuntime();
    Files.writeString(dir.resolve("rig.script"), script);
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        TeleopChild.class.getName(), "--xr-runtime", manifest.toString(), "--robot-id", "r1", "--broker", brokerUrl,
        "--source", "openxr", "--headless", "--rate", "100")
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    Map<String, String> env = pb.environment();
    env.put("OPTIMUS_FAKEXR_SCRIPT", dir.resolve("rig.script").toString());
    env.put("OPTIMUS_FAKEXR_REPORT", dir.resolve("report.txt").toString());
    env.put("XR_ENABLE_API_LAYERS", Monado.CORE_VALIDATION);
    env.put("XR_CORE_VALIDATION_EXPORT_TYPE", "text");
    env.put("XR_CORE_VALIDATION_FILE_NAME", dir.resolve("validation.txt").toString());
    return pb.start();
  }

  /** Squeeze held from frame 0 of each session, let go at 30, pressed again at 35. */
  private static String script(String loss) {
    return "profile /interaction_profiles/valve/index_controller\n" + loss + "\n0 head 0 1.7 0 0 0 0 1\n"
        + "0 grip right 0.2 1.2 -0.3 0 0 0 1\n"
        + "0 input right /input/squeeze/value 0.95\n30 input right /input/squeeze/value 0.1\n"
        + "35 input right /input/squeeze/value 0.95\n";
  }

  private static List<Received> subscribe(MqttEndpoint robot) {
    List<Received> frames = new CopyOnWriteArrayList<>();
    robot.subscribe(Topics.operator("r1"), 0, OperatorFrame.parser(), (t, f) -> frames.add(new Received(f, System.nanoTime())));
    return frames;
  }

  private Received await(List<Received> frames, Predicate<OperatorFrame> what, Process p, String why) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      for (Received r : frames) {
        if (what.test(r.frame())) {
          return r;
        }
      }
      assertTrue(p.isAlive(), "the client died before " + why + ":\n" + stderr(p));
      assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + why + ":\n" + tail(stderr()));
      Thread.sleep(20);
    }
  }

  private String stderr(Process p) throws Exception {
    return tail(stderr());
  }

  private static String tail(String s) {
    return s.length() < 3000 ? s : s.substring(s.length() - 3000);
  }

  private String stderr() throws Exception {
    return Files.readString(dir.resolve("stderr.txt"));
  }

  private JsonNode endWithSigterm(Process p) throws Exception {
    try {
      p.destroy(); // SIGTERM, as Ctrl-C
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "SIGTERM did not end the client");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(143, p.exitValue(), "killed by SIGTERM (128 + 15)");
    String out = Files.readString(dir.resolve("stdout.txt")).strip();
    assertFalse(out.isEmpty(), "no summary on stdout; stderr:\n" + stderr());
    return Json.MAPPER.readTree(out);
  }

  /** The layer was loaded and said nothing; the runtime saw no call on a destroyed handle. */
  private void assertNoCallOnADestroyedHandle(int instances) throws Exception {
    assertTrue(stderr().contains("Core Validation output type"), "the core validation layer was loaded");
    Path v = dir.resolve("validation.txt");
    assertEquals("", Files.exists(v) ? Files.readString(v).strip() : "", "the core validation layer reported problems");
    List<String> failures = Files.readAllLines(dir.resolve("report.txt")).stream().filter(l -> l.startsWith("failures=")).toList();
    assertEquals(instances, failures.size(), "one report per instance");
    for (String f : failures) {
      assertEquals("failures=", f, "the fake runtime saw a call on a destroyed handle");
    }
  }

  private long lines(String text) throws Exception {
    return stderr().lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void aLostSessionStopsTheFramesWithTheDeadmanReleasedAndStreamsAgainWhenItComesBack() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = teleop(broker.url(), script("session_lost_after 60\nunavailable_for 3"));
      JsonNode summary;
      long releaseSeq;
      try {
        Received release = await(frames, f -> !f.getHeadValid() && f.getSequence() > 1, p, "the release frame");
        releaseSeq = release.frame().getSequence();
        await(frames, f -> f.getSequence() >= releaseSeq + 44, p, "45 frames of the new session");
        summary = endWithSigterm(p);
      } finally {
        p.destroyForcibly();
      }
      Received release = frames.stream().filter(r -> r.frame().getSequence() == releaseSeq).findFirst().orElseThrow();
      assertFalse(release.frame().getCommands().getDeadman(), "the deadman reads released when the session is lost");
      List<Received> before = frames.stream().filter(r -> r.frame().getSequence() < releaseSeq).toList();
      List<Received> after = frames.stream().filter(r -> r.frame().getSequence() > releaseSeq).toList();
      assertTrue(before.size() >= 50, "the first session streamed: " + before.size());
      assertTrue(before.get(before.size() - 1).frame().getCommands().getDeadman(), "held until the loss");
      // no frame while there is no session: the next one comes from the new session, after the backoff
      long gapNs = after.get(0).receivedNs() - release.receivedNs();
      assertTrue(gapNs >= 1_000_000_000L, "frames stop during the loss: next after " + gapNs / 1e6 + " ms");
      for (Received r : after) {
        long k = r.frame().getSequence() - releaseSeq - 1; // frame k of the new session
        assertTrue(r.frame().getHeadValid(), "tracked again at " + k);
        if (k < 44) {
          // the squeeze was held through the loss: the robot engages only on a new press
          assertEquals(k >= 35, r.frame().getCommands().getDeadman(), "deadman at frame " + k + " of the new session");
        }
      }
      assertEquals(1, summary.get("sessions_lost").asInt(), summary.toString());
      assertEquals(1, summary.get("sessions_regained").asInt(), summary.toString());
      assertFalse(summary.get("session_lost").asBoolean());
      assertEquals(1, lines("OpenXR session lost"), "one line when the session is lost:\n" + stderr());
      assertEquals(1, lines("OpenXR session regained"), "one line when it is back:\n" + stderr());
      assertNoCallOnADestroyedHandle(1);
    }
  }

  @Test
  void ctrlCWhileTheRuntimeIsGoneEndsCleanlyWithTheSummary() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = teleop(broker.url(), script("instance_lost_after 20\nunavailable_for 1000000"));
      JsonNode summary;
      try {
        Received release = await(frames, f -> !f.getHeadValid() && f.getSequence() > 1, p, "the release frame");
        assertFalse(release.frame().getCommands().getDeadman());
        Thread.sleep(800); // retrying: no session, no frames
        assertEquals(release.frame().getSequence(), frames.get(frames.size() - 1).frame().getSequence(),
            "no frame while the runtime is gone");
        summary = endWithSigterm(p);
      } finally {
        p.destroyForcibly();
      }
      assertEquals(1, summary.get("sessions_lost").asInt(), summary.toString());
      assertEquals(0, summary.get("sessions_regained").asInt());
      assertTrue(summary.get("session_lost").asBoolean());
      assertEquals(20, summary.get("frames").asLong(), "19 frames and the release");
      assertEquals(1, lines("OpenXR instance lost"), stderr());
      assertNoCallOnADestroyedHandle(1);
    }
  }

  @Test
  void aRestartedRuntimeGivesANewInstanceAndTheStreamResumes() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = teleop(broker.url(), script("instance_lost_after 20\nunavailable_for 2"));
      JsonNode summary;
      try {
        Received release = await(frames, f -> !f.getHeadValid() && f.getSequence() > 1, p, "the release frame");
        long seq = release.frame().getSequence();
        await(frames, f -> f.getSequence() >= seq + 40, p, "the new instance's frames");
        summary = endWithSigterm(p);
      } finally {
        p.destroyForcibly();
      }
      assertEquals(1, summary.get("sessions_regained").asInt(), summary.toString());
      List<String> states = new ArrayList<>();
      summary.get("openxr_states").forEach(n -> states.add(n.asText()));
      assertEquals("EXITING", states.get(states.size() - 1), "the new session ran down on SIGTERM: " + states);
      assertNoCallOnADestroyedHandle(2);
    }
  }
}
