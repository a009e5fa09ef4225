package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.control.OperatorFrameValidator;
import io.optimus.proto.v1.BodyJoint;
import io.optimus.proto.v1.BodyJointId;
import io.optimus.proto.v1.OperatorFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator's body as the robot receives it: {@code optimus teleop --source openxr --headless} (a
 * child JVM) against teleop-vr's fake OpenXR runtime offering one body-tracking extension with a
 * scripted body, frames read from an embedded HiveMQ broker. A known y-up joint pose must arrive as
 * the expected z-up one, in the vendor-neutral joint order, and a runtime without body tracking must
 * give the frames of before and one log line. Debian's core validation layer (1.0.20) predates the
 * body-tracking extensions and refuses their structs (XR_ERROR_VALIDATION_FAILURE): the body runs go
 * without it, and one run with it checks that such a refusal is a clean fallback, not a failure.
 */
class BodyTrackingOverMqttTest {
  private static final int FRAMES = 40;
  /** A y-up pose: 25 cm right, 1.1 m up, 35 cm ahead (-z), turned 90 degrees left about +y. */
  private static final String KNOWN_XR = "0.25 1.1 -0.35 0 0.7071067811865476 0 0.7071067811865476";

  @TempDir Path dir;

  private Path fakeRuntime() throws Exception {
    return FakeRuntimeBuild.manifest(dir, "body-tracking tests");
  }

  /** Runs the client to the end of the script (the runtime stops the session after FRAMES frames). */
  private List<OperatorFrame> runTeleop(String script, boolean validationLayer) throws Exception {
    return runTeleop(script, validationLayer, false);
  }

  /** With {@code sigterm}, the client is ended by SIGTERM (as Ctrl-C) once frames flow, instead of by the session's end. */
  private List<OperatorFrame> runTeleop(String script, boolean validationLayer, boolean sigterm) throws Exception {
    Path manifest = fakeRuntime();
    Files.writeString(dir.resolve("rig.script"), script);
    List<OperatorFrame> frames = new CopyOnWriteArrayList<>();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      robot.subscribe(Topics.operator("r1"), 0, OperatorFrame.parser(), (t, f) -> frames.add(f));
      ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
          "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          TeleopChild.class.getName(), "--xr-runtime", manifest.toString(), "--robot-id", "r1", "--broker", broker.url(),
          "--source", "openxr", "--headless", "--rate", "100")
          .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
      Map<String, String> env = pb.environment();
      env.put("OPTIMUS_FAKEXR_SCRIPT", dir.resolve("rig.script").toString());
      env.put("OPTIMUS_FAKEXR_REPORT", dir.resolve("report.txt").toString());
      if (validationLayer) {
        env.put("XR_ENABLE_API_LAYERS", Monado.CORE_VALIDATION);
        env.put("XR_CORE_VALIDATION_EXPORT_TYPE", "text");
        env.put("XR_CORE_VALIDATION_FILE_NAME", dir.resolve("validation.txt").toString());
      }
      Process p = pb.start();
      try {
        if (sigterm) {
          long until = System.currentTimeMillis() + 60_000;
          while (frames.size() < FRAMES && p.isAlive() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
          }
          p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client did not end:\n" + stderr());
      } finally {
        p.destroyForcibly();
      }
      assertEquals(sigterm ? 143 : 0, p.exitValue(), stderr());
      long deadline = System.currentTimeMillis() + 5_000;
      while (frames.size() < FRAMES - 1 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    }
    String report = Files.readString(dir.resolve("report.txt"));
    assertTrue(report.contains("failures=\n"), "the fake runtime saw no misuse:\n" + report);
    assertTrue(report.contains("body_trackers=0\n"), "no body tracker left alive:\n" + report);
    assertTrue(report.contains("body_trackers_destroyed=" + (report.contains("body_trackers_created=1") ? 1 : 0) + "\n"),
        "the client destroyed each tracker it created:\n" + report);
    assertTrue(frames.size() >= FRAMES - 1, "frames received: " + frames.size() + "\n" + stderr());
    return frames;
  }

  private String stderr() throws Exception {
    String s = Files.readString(dir.resolve("stderr.txt"));
    return s.length() < 3000 ? s : s.substring(s.length() - 3000);
  }

  private com.fasterxml.jackson.databind.JsonNode summary() throws Exception {
    return io.optimus.common.Json.MAPPER.readTree(Files.readString(dir.resolve("stdout.txt")).strip());
  }

  private long lines(String text) throws Exception {
    return Files.readString(dir.resolve("stderr.txt")).lines().filter(l -> l.contains(text)).count();
  }

  private static String script(String offered, int joints, int elbow) {
    StringBuilder s = new StringBuilder("profile /interaction_profiles/oculus/touch_controller\nexit_after " + FRAMES + "\n");
    if (!offered.isEmpty()) {
      s.append("body_tracking ").append(offered).append('\n');
    }
    s.append("0 head 0 1.7 0 0 0 0 1\n0 body_active 1\n0 body_confidence 0.9\n");
    for (int j = 0; j < joints; j++) {
      String pose = j == elbow ? KNOWN_XR : (0.01 * j) + " " + (0.5 + 0.02 * j) + " -0.1 0 0 0 1";
      s.append("0 body_joint ").append(j).append(' ').append(pose).append('\n');
    }
    return s.toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "XR_FB_body_tracking XR_META_body_tracking_full_body, XR_META_body_tracking_full_body, 84, 11, 0.9",
      "XR_FB_body_tracking, XR_FB_body_tracking, 70, 11, 0.9",
      "XR_HTC_body_tracking, XR_HTC_body_tracking, 26, 19, 1.0",
      "XR_BD_body_tracking, XR_BD_body_tracking, 24, 18, 1.0"})
  void theBodyArrivesOverMqttInTheOperatorFrame(String offered, String source, int joints, int elbow, float confidence)
      throws Exception {
    List<OperatorFrame> frames = runTeleop(script(offered, joints, elbow), false);
    for (OperatorFrame f : frames.subList(0, FRAMES - 2)) {
      assertEquals(2, f.getSchemaVersion());
      assertNull(OperatorFrameValidator.problem(f), "the bridge accepts it");
      assertTrue(f.getBody().getActive());
      assertEquals(source, f.getBody().getSource());
      assertEquals(16, f.getBody().getJointsCount());
      BodyJoint e = f.getBody().getJoints(BodyJointId.BODY_JOINT_LEFT_ELBOW_VALUE);
      // y-up (0.25, 1.1, -0.35), 90 degrees about +y  ->  z-up (0.35, -0.25, 1.1), 90 degrees about +z
      assertEquals(0.35, e.getPose().getPosition().getX(), 1e-6);
      assertEquals(-0.25, e.getPose().getPosition().getY(), 1e-6);
      assertEquals(1.1, e.getPose().getPosition().getZ(), 1e-6);
      assertEquals(Math.sqrt(0.5), e.getPose().getOrientation().getW(), 1e-6);
      assertEquals(0, e.getPose().getOrientation().getX(), 1e-6);
      assertEquals(0, e.getPose().getOrientation().getY(), 1e-6);
      assertEquals(Math.sqrt(0.5), e.getPose().getOrientation().getZ(), 1e-6);
      assertEquals(confidence, e.getConfidence(), 1e-6);
      assertTrue(e.getOrientationValid());
      float knee = f.getBody().getJoints(BodyJointId.BODY_JOINT_LEFT_KNEE_VALUE).getConfidence();
      assertEquals(joints == 70 ? 0f : confidence, knee, 1e-6, "XR_FB_body_tracking's default set has no legs");
    }
    assertEquals(1, lines("OpenXR body tracking: " + source), stderr());
    assertEquals(source, summary().get("body_tracking").asText(), "the summary names the extension used");
    assertEquals(0, lines("body tracking unavailable"), stderr());
  }

  @Test
  void withoutBodyTrackingTheFramesAreAsBeforeWithOneLogLine() throws Exception {
    List<OperatorFrame> frames = runTeleop(script("", 24, 18), true);
    Path v = dir.resolve("validation.txt");
    assertEquals("", Files.exists(v) ? Files.readString(v).strip() : "", "the core validation layer reported problems");
    for (OperatorFrame f : frames) {
      assertFalse(f.hasBody());
      assertEquals(1, f.getSchemaVersion(), "readable by bridges that know schema 1 only");
    }
    assertTrue(frames.get(5).getHeadValid());
    assertEquals(1, lines("OpenXR body tracking unavailable"), "one line saying so:\n" + stderr());
    assertTrue(summary().get("body_tracking").isNull());
    String report = Files.readString(dir.resolve("report.txt"));
    assertFalse(report.lines().filter(l -> l.startsWith("extensions=")).findFirst().orElseThrow().contains("body"), report);
  }

  @Test
  void aLayerThatRefusesTheBodyStructsIsACleanFallback() throws Exception {
    List<OperatorFrame> frames = runTeleop(script("XR_HTC_body_tracking", 26, 19), true);
    for (OperatorFrame f : frames) {
      assertFalse(f.hasBody());
      assertEquals(1, f.getSchemaVersion());
      assertTrue(f.getHeadValid());
    }
    assertEquals(1, lines("OpenXR body tracking unavailable"), "one line saying so:\n" + stderr());
  }

  @Test
  void sigtermTearsTheTrackerDownWithTheSession() throws Exception {
    List<OperatorFrame> frames = runTeleop(script("XR_BD_body_tracking", 24, 18).replace("exit_after " + FRAMES + "\n", ""),
        false, true);
    assertTrue(frames.get(FRAMES / 2).getBody().getActive());
    String report = Files.readString(dir.resolve("report.txt"));
    assertTrue(report.contains("body_trackers_created=1\n") && report.contains("body_trackers_destroyed=1\n")
        && report.contains("states=") && report.strip().contains("EXITING"), report);
    assertEquals("XR_BD_body_tracking", summary().get("body_tracking").asText());
  }
}
