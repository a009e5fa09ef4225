package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Json;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.HandJoint;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.teleop.frame.XrToOperator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimus teleop --source openxr --headless} against Monado, the real OpenXR runtime (see
 * {@link Monado}), with the Khronos core validation layer on: every run must leave the layer silent.
 * Frames are taken where the robot takes them, from the MQTT broker.
 */
class MonadoRuntimeTest {
  private static final long START_TIMEOUT_MS = 60_000;

  /** A frame as the robot received it, with the receiver's System.nanoTime (same host clock). */
  record Received(OperatorFrame frame, long receivedNs) {}

  /** Monado's simulated headset and two Khronos simple controllers. */
  private static final Map<String, String> SIMULATED_RIG =
      Map.of("SIMULATED_ENABLE", "1", "SIMULATED_LEFT", "simple", "SIMULATED_RIGHT", "simple");

  @TempDir Path dir;

  private static List<Received> subscribe(MqttEndpoint robot) {
    List<Received> frames = new CopyOnWriteArrayList<>();
    robot.subscribe(Topics.operator("r1"), 0, OperatorFrame.parser(), (t, f) -> frames.add(new Received(f, System.nanoTime())));
    return frames;
  }

  private static void await(List<Received> frames, Predicate<OperatorFrame> what, Process p, String why) throws Exception {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (frames.stream().noneMatch(r -> what.test(r.frame()))) {
      assertTrue(p.isAlive(), "the client died before " + why);
      assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + why);
      Thread.sleep(50);
    }
  }

  private String stderr() throws Exception {
    return Files.readString(dir.resolve("stderr.txt"));
  }

  private JsonNode summary() throws Exception {
    String out = Files.readString(dir.resolve("stdout.txt")).strip();
    assertFalse(out.isEmpty(), "no summary on stdout; stderr:\n" + tail(stderr()));
    return Json.MAPPER.readTree(out);
  }

  private void assertValidationSilent() throws Exception {
    Path v = dir.resolve("validation.txt");
    String text = Files.exists(v) ? Files.readString(v).strip() : "";
    assertTrue(stderr().contains("Core Validation output type"), "the core validation layer was loaded");
    assertEquals("", text, "the core validation layer reported problems");
    assertFalse(stderr().contains("VALID_USAGE") || stderr().contains("[ERROR"), "validation or runtime errors:\n" + tail(stderr()));
  }

  /** The runtime logged the whole teardown, in order, and no frame loop call (headless sessions have none). */
  private void assertHeadlessTeardown() throws Exception {
    String err = stderr();
    int exit = err.indexOf("xrRequestExitSession");
    int end = err.indexOf("xrEndSession");
    int session = err.indexOf("xrDestroySession");
    int instance = err.indexOf("xrDestroyInstance");
    assertTrue(exit >= 0 && end > exit && session > end && instance > session,
        "Monado's entry-point log shows xrRequestExitSession, xrEndSession, xrDestroySession, xrDestroyInstance:\n" + tail(err));
    for (String call : List.of("xrWaitFrame", "xrBeginFrame", "xrEndFrame")) {
      assertFalse(err.contains(call), "a headless session must not call " + call);
    }
  }

  private static String tail(String s) {
    return s.length() < 4000 ? s : s.substring(s.length() - 4000);
  }

  @Test
  void headlessSessionWithTheSimulatedRigReachesFocusedAndStampsWhenItSampled() throws Exception {
    Monado.manifest();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = Monado.teleop(dir, SIMULATED_RIG, "--robot-id", "r1", "--broker", broker.url(),
          "--source", "openxr", "--headless", "--rate", "60", "--duration", "3").start();
      assertTrue(p.waitFor(START_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS), "the client did not finish");
      assertEquals(0, p.exitValue(), tail(stderr()));

      JsonNode s = summary();
      assertTrue(s.get("openxr_runtime").asText().contains("Monado"), s.toString());
      assertFalse(s.get("session_lost").asBoolean());
      List<String> states = new ArrayList<>();
      s.get("openxr_states").forEach(n -> states.add(n.asText()));
      assertTrue(states.contains("FOCUSED"), "states: " + states);
      assertEquals("EXITING", states.get(states.size() - 1), "states: " + states);
      assertTrue(s.get("frames").asLong() >= 60, "3 s at 60 Hz: " + s);
      assertHeadlessTeardown();
      assertValidationSilent();

      assertFalse(frames.isEmpty());
      for (Received r : frames) {
        OperatorFrame f = r.frame();
        long capture = f.getCaptureTime().getMonotonicNs();
        assertTrue(capture <= r.receivedNs(), "captured " + (capture - r.receivedNs()) + " ns in the future");
        // another clock (wall, or the runtime's own epoch) would be off by far more than a loaded broker's delay
        assertTrue(r.receivedNs() - capture < 30_000_000_000L, "capture stamp is on the host's monotonic clock: "
            + (r.receivedNs() - capture) + " ns before arrival");
        assertEquals(f.getCaptureTime(), f.getDisplayTime(), "headless: located at the sampling instant");
      }
      // the simulated headset: tracked, head height above the floor (z up); both simulated controllers
      // (mid-run: the last frames come after the exit request, unfocused, when inputs are inactive)
      OperatorFrame last = frames.get(frames.size() / 2).frame();
      assertTrue(last.getHeadValid(), "the simulated headset is located");
      assertTrue(last.getHead().getPosition().getZ() > 1.0, "head height, z up: " + last.getHead().getPosition());
      for (HandInput h : List.of(last.getLeft(), last.getRight())) {
        assertTrue(h.getGripValid(), "simulated controller located");
        assertEquals("/interaction_profiles/khr/simple_controller", h.getInteractionProfile());
      }
    }
  }

  @Test
  void remoteDriverHandJointsReachTheMqttFrameInTheOperatorFrame() throws Exception {
    Monado.manifest();
    int port = EmbeddedBroker.freePort("127.0.0.1");
    Monado.remotePort(dir, port);
    // y-up OpenXR poses of the two Index controllers; left hand open, right hand a fist
    float[] leftPose = {-0.2f, 1.1f, -0.4f, 0, 0, 0, 1};
    float[] rightPose = {0.25f, 1.2f, -0.35f, 0, 0.38268343f, 0, 0.92387953f}; // turned 45 degrees about y (up)
    float[] open = {0, 0, 0, 0, 0};
    float[] fist = {1, 1, 1, 1, 1};
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = Monado.teleop(dir, Map.of("P_OVERRIDE_ACTIVE_CONFIG", "remote"), "--robot-id", "r1",
          "--broker", broker.url(), "--source", "openxr", "--headless", "--rate", "60").start();
      try (RemoteDriverClient remote = RemoteDriverClient.connect(port, START_TIMEOUT_MS)) {
        Pose expected = XrToOperator.pose(rightPose[0], rightPose[1], rightPose[2], rightPose[3], rightPose[4],
            rightPose[5], rightPose[6]);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Predicate<OperatorFrame> arrived = f -> f.getRight().getGripValid() && f.getRight().getHand().getActive()
            && Math.abs(f.getRight().getGripPose().getPosition().getX() - expected.getPosition().getX()) < 1e-4;
        while (frames.stream().noneMatch(r -> arrived.test(r.frame()))) {
          assertTrue(p.isAlive(), "the client died: " + tail(stderr()));
          assertTrue(System.currentTimeMillis() < deadline, "the remote driver's poses never reached MQTT");
          remote.send(leftPose, open, rightPose, fist);
          Thread.sleep(20);
        }
        OperatorFrame f = frames.stream().map(Received::frame).filter(arrived).reduce((a, b) -> b).orElseThrow();
        p.destroy();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "SIGTERM did not end the client");

        // the controller pose, converted once: p = (-z, -x, y)
        assertPoseNear(expected, f.getRight().getGripPose(), 1e-4, "right grip");
        assertEquals(0.35, f.getRight().getGripPose().getPosition().getX(), 1e-4, "forward = -z");
        assertEquals(-0.25, f.getRight().getGripPose().getPosition().getY(), 1e-4, "left = -x");
        assertEquals(1.2, f.getRight().getGripPose().getPosition().getZ(), 1e-4, "up = y");
        assertEquals("/interaction_profiles/valve/index_controller", f.getRight().getInteractionProfile(),
            "profiles seen: " + frames.stream().map(r -> r.frame().getRight().getInteractionProfile()).distinct().toList()
            + " in frame " + f.getSequence() + " of " + frames.size());
        for (HandInput h : List.of(f.getLeft(), f.getRight())) {
          assertTrue(h.getHand().getActive());
          assertEquals(26, h.getHand().getJointsCount());
          Pose grip = h.getGripPose();
          for (HandJoint j : h.getHand().getJointsList()) {
            // Monado simulates the hand around the controller: every joint within a hand's reach of the grip,
            // at the grip's height in z (a y-up joint would sit at -0.4 m in z)
            assertTrue(distance(j.getPose(), grip) < 0.25, "joint within 25 cm of the grip: " + j.getPose().getPosition());
            assertEquals(grip.getPosition().getZ(), j.getPose().getPosition().getZ(), 0.2, "joint height (z up)");
          }
        }
        // joints XR_HAND_JOINT_PALM = 0, INDEX_TIP = 10: the fist's index tip is nearer its palm than the open hand's
        double openReach = distance(f.getLeft().getHand().getJoints(10).getPose(), f.getLeft().getHand().getJoints(0).getPose());
        double fistReach = distance(f.getRight().getHand().getJoints(10).getPose(), f.getRight().getHand().getJoints(0).getPose());
        assertTrue(fistReach < openReach - 0.02, "curl closes the hand: open " + openReach + " m, fist " + fistReach + " m");
      } finally {
        p.destroyForcibly();
      }
      assertValidationSilent();
    }
  }

  @Test
  void sigtermEndsTheOpenXrSessionAndPrintsTheSummary() throws Exception {
    Monado.manifest();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      List<Received> frames = subscribe(robot);
      Process p = Monado.teleop(dir, SIMULATED_RIG, "--robot-id", "r1", "--broker", broker.url(),
          "--source", "openxr", "--headless", "--rate", "60").start();
      try {
        await(frames, f -> f.getSequence() >= 10, p, "10 frames");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "SIGTERM did not end the client");
      } finally {
        p.destroyForcibly();
      }
      assertEquals(143, p.exitValue(), "killed by SIGTERM (128 + 15)");
      JsonNode s = summary();
      assertTrue(s.get("frames").asLong() >= 10, s.toString());
      List<String> states = new ArrayList<>();
      s.get("openxr_states").forEach(n -> states.add(n.asText()));
      assertEquals("EXITING", states.get(states.size() - 1), "the session ran down to EXITING: " + states);
      assertHeadlessTeardown();
      assertValidationSilent();
    }
  }

  @Test
  void headsetViewInMonadosWindowShowsThePanelInEachEyeAndStampsSampledAndDisplayTimes() throws Exception {
    Monado.manifest();
    Path xvfb = Path.of("/usr/bin/Xvfb");
    Path importer = Path.of("/usr/bin/import");
    boolean tools = Files.isExecutable(xvfb) && Files.isExecutable(importer);
    if (!tools && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI must run the headset view test but Xvfb or ImageMagick's import is missing (apt-get install xvfb imagemagick)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(tools, "skipping: needs Xvfb and ImageMagick's import");
    int display = 100 + (int) (ProcessHandle.current().pid() % 400);
    Process x = new ProcessBuilder(xvfb.toString(), ":" + display, "-screen", "0", "1280x720x24", "-nolisten", "tcp")
        .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.txt").toFile()).start();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      Path socket = Path.of("/tmp/.X11-unix/X" + display);
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(socket), "Xvfb :" + display + " did not start");
      List<Received> frames = subscribe(robot);
      // the robot holds the left elbow at its limit: the HUD names it in amber (HudClampAgainstBridgeTest has the bridge)
      robot.publishAndWait(io.optimus.bridge.mqtt.Topics.safety("r1"), io.optimus.proto.v1.SafetyStatus.newBuilder()
          .setSchemaVersion(1).setRobotId("r1").setStamp(io.optimus.common.Stamps.now())
          .setMode(io.optimus.proto.v1.ControlMode.CONTROL_MODE_ENGAGED).setDeadman(true)
          .setRetargetLimitedJoint("left_elbow_joint").build(), MqttEndpoint.QOS_RELIABLE, true);
      Map<String, String> env = new java.util.HashMap<>(SIMULATED_RIG);
      env.put("DISPLAY", ":" + display);
      env.put("XRT_COMPOSITOR_FORCE_XCB", "1"); // Monado's compositor draws both eyes side by side in an X window
      Process p = Monado.teleop(dir, env, "--robot-id", "r1", "--broker", broker.url(), "--source", "openxr",
          "--duration", "8").start();
      java.awt.image.BufferedImage shot;
      try {
        await(frames, f -> f.getSequence() >= 60, p, "60 frames");
        Path png = dir.resolve("monado-window.png");
        Process grab = new ProcessBuilder(importer.toString(), "-display", ":" + display, "-window", "root",
            "-crop", "640x360+0+0", png.toString()).redirectErrorStream(true).start();
        assertTrue(grab.waitFor(30, TimeUnit.SECONDS) && grab.exitValue() == 0, "import failed");
        shot = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(p.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the client did not finish");
      } finally {
        p.destroyForcibly();
      }
      assertEquals(0, p.exitValue(), tail(stderr()));
      List<String> states = new ArrayList<>();
      summary().get("openxr_states").forEach(n -> states.add(n.asText()));
      assertTrue(states.contains("FOCUSED"), "states: " + states);
      assertEquals("EXITING", states.get(states.size() - 1), "states: " + states);
      String err = stderr();
      for (String call : List.of("xrWaitFrame", "xrBeginFrame", "xrEndFrame", "xrEndSession", "xrDestroySession")) {
        assertTrue(err.contains(call), "the frame loop and teardown ran: no " + call);
      }
      assertValidationSilent();

      // stamps: sampled now (never in the future), predicted display time ahead of it, within a few frames
      int ahead = 0;
      for (Received r : frames) {
        long capture = r.frame().getCaptureTime().getMonotonicNs();
        long shown = r.frame().getDisplayTime().getMonotonicNs();
        assertTrue(capture <= r.receivedNs(), "captured " + (capture - r.receivedNs()) + " ns in the future");
        assertTrue(shown - capture < 500_000_000L, "display time within 0.5 s of sampling: " + (shown - capture));
        ahead += shown > capture ? 1 : 0;
      }
      assertTrue(ahead >= frames.size() * 9 / 10, "the predicted display time lies ahead of sampling: " + ahead + "/" + frames.size());

      // each eye (left and right half of Monado's window) shows the HUD: the grey panel and the green LINK label
      int w = shot.getWidth() / 2;
      for (int eye = 0; eye < 2; eye++) {
        int panel = 0;
        int green = 0;
        int amber = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
          for (int xx = eye * w; xx < (eye + 1) * w; xx++) {
            int rgb = shot.getRGB(xx, y);
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            if (Math.abs(r - g) < 8 && Math.abs(g - b) < 8 && r >= 0x20 && r <= 0x60) {
              panel++;
            }
            if (g > 150 && r < 120 && b < 120) {
              green++;
            }
            if (r > 200 && g > 120 && g < 215 && b < 90) {
              amber++;
            }
          }
        }
        int area = w * shot.getHeight();
        assertTrue(panel > area / 50, "eye " + eye + " shows the panel: " + panel + " grey pixels of " + area);
        assertTrue(green > 20, "eye " + eye + " shows the green LINK label: " + green + " pixels");
        assertTrue(amber > 20, "eye " + eye + " shows the amber clamped-joint label: " + amber + " pixels");
      }
    } finally {
      x.destroy();
      x.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A solid-colour JPEG VideoFrame as the bridge publishes it (640x480 eyes at 60 degrees vertical). */
  private static io.optimus.proto.v1.VideoFrame videoFrame(String camera, String eye, long seq, int w, int h,
      double fovY, java.awt.Color colour) {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.dispose();
    byte[] jpeg;
    try (io.optimus.bridge.video.JpegEncoder e = new io.optimus.bridge.video.JpegEncoder(90)) {
      jpeg = e.encode(img);
    }
    double f = h / 2.0 / Math.tan(fovY / 2);
    io.optimus.proto.v1.Timestamp now = io.optimus.common.Stamps.now();
    return io.optimus.proto.v1.VideoFrame.newBuilder().setSchemaVersion(1).setRobotId("r1").setCameraName(camera)
        .setEye(eye).setSequence(seq).setEncoding(io.optimus.proto.v1.ImageEncoding.IMAGE_ENCODING_JPEG)
        .setWidth(w).setHeight(h).setData(com.google.protobuf.ByteString.copyFrom(jpeg))
        .setIntrinsics(io.optimus.proto.v1.CameraIntrinsics.newBuilder().setFx(f).setFy(f).setCx(w / 2.0).setCy(h / 2.0))
        .setStages(io.optimus.proto.v1.VideoStages.newBuilder().setCaptured(now).setRendered(now).setEncoded(now)
            .setPublished(now))
        .build();
  }

  /** Monado's simulated HMD: 1280x720 split in two eyes of 85 degrees across each (simulated_hmd.c). */
  private static final double MONADO_EYE_FOV_X = Math.toRadians(85);

  @Test
  void headsetViewShowsEachEyeItsOwnRobotCameraAtTheCamerasFieldOfViewWithWristInsetsHudAndHaptics() throws Exception {
    eachEyeShowsItsCamera("head");
  }

  /** World-locked (LOCAL space, placed ahead of the head at start): the still simulated head sees it alike. */
  @Test
  void worldLockedVideoShowsEachEyeItsOwnRobotCameraAtTheSameSize() throws Exception {
    eachEyeShowsItsCamera("world");
  }

  private void eachEyeShowsItsCamera(String anchor) throws Exception {
    Monado.manifest();
    Path xvfb = Path.of("/usr/bin/Xvfb");
    Path importer = Path.of("/usr/bin/import");
    boolean tools = Files.isExecutable(xvfb) && Files.isExecutable(importer);
    if (!tools && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI must run the headset view test but Xvfb or ImageMagick's import is missing (apt-get install xvfb imagemagick)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(tools, "skipping: needs Xvfb and ImageMagick's import");
    int display = 100 + (int) ((ProcessHandle.current().pid() + 7) % 400);
    Process x = new ProcessBuilder(xvfb.toString(), ":" + display, "-screen", "0", "1280x720x24", "-nolisten", "tcp")
        .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.txt").toFile()).start();
    double eyeFovY = Math.toRadians(60);
    java.awt.Color leftColour = new java.awt.Color(220, 30, 170);
    java.awt.Color rightColour = new java.awt.Color(30, 170, 220);
    java.awt.Color wristColour = new java.awt.Color(230, 220, 30);
    java.util.concurrent.atomic.AtomicBoolean streaming = new java.util.concurrent.atomic.AtomicBoolean(true);
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-r1"))) {
      Path socket = Path.of("/tmp/.X11-unix/X" + display);
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(socket), "Xvfb :" + display + " did not start");
      List<Received> frames = subscribe(robot);
      // the robot's video: the stereo pair and the wrists, 15 rounds a second, real JPEGs through the broker
      Thread publisher = Thread.ofPlatform().daemon().start(() -> {
        long seq = 0;
        while (streaming.get()) {
          seq++;
          robot.publishStream(Topics.video("r1", "head_left"), videoFrame("head_left", "left", seq, 640, 480, eyeFovY, leftColour));
          robot.publishStream(Topics.video("r1", "head_right"), videoFrame("head_right", "right", seq, 640, 480, eyeFovY, rightColour));
          for (String w : List.of("left_wrist", "right_wrist")) {
            robot.publishStream(Topics.video("r1", w), videoFrame(w, "", seq, 320, 240, Math.toRadians(90), wristColour));
          }
          if (seq % 15 == 0) { // the robot's right fingers touch the table once a second: a pulse on the right hand
            robot.publish(Topics.safety("r1"), io.optimus.proto.v1.SafetyStatus.newBuilder().setRobotId("r1")
                .setContactsTotal(seq / 15).setLastContact("robot-table: right_index_distal / table").build(), 1, true);
          }
          try {
            Thread.sleep(66);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      Map<String, String> env = new java.util.HashMap<>(SIMULATED_RIG);
      env.put("DISPLAY", ":" + display);
      env.put("XRT_COMPOSITOR_FORCE_XCB", "1");
      Process p = Monado.teleop(dir, env, "--robot-id", "r1", "--broker", broker.url(), "--source", "openxr",
          "--video-anchor", anchor, "--duration", "10").start();
      java.awt.image.BufferedImage shot;
      try {
        await(frames, f -> f.getSequence() >= 150, p, "150 frames");
        Path png = dir.resolve("monado-window.png");
        Process grab = new ProcessBuilder(importer.toString(), "-display", ":" + display, "-window", "root",
            "-crop", "640x360+0+0", png.toString()).redirectErrorStream(true).start();
        assertTrue(grab.waitFor(30, TimeUnit.SECONDS) && grab.exitValue() == 0, "import failed");
        shot = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(p.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the client did not finish");
      } finally {
        p.destroyForcibly();
        streaming.set(false);
        publisher.join(5000);
      }
      assertEquals(0, p.exitValue(), tail(stderr()));
      assertValidationSilent();
      JsonNode s = summary();
      assertTrue(s.get("video_frames_shown").asLong() > 10, "video frames shown and stamped: " + s);
      assertEquals(0, s.get("video_frames_refused").asLong(), s.toString());
      assertTrue(s.get("video_latency_ms").get("p50").asDouble() > 0, s.toString());
      assertTrue(stderr().contains("xrApplyHapticFeedback"), "the robot's touches reached the controllers as haptic pulses");

      int w = shot.getWidth() / 2;
      int h = shot.getHeight();
      java.util.function.IntPredicate left = c -> ((c >> 16) & 0xff) > 150 && ((c >> 8) & 0xff) < 100 && (c & 0xff) > 100;
      java.util.function.IntPredicate right = c -> ((c >> 16) & 0xff) < 100 && ((c >> 8) & 0xff) > 110 && (c & 0xff) > 150;
      java.util.function.IntPredicate wrist = c -> ((c >> 16) & 0xff) > 150 && ((c >> 8) & 0xff) > 150 && (c & 0xff) < 100;
      java.util.function.IntPredicate green = c -> ((c >> 8) & 0xff) > 150 && ((c >> 16) & 0xff) < 120 && (c & 0xff) < 120;
      // the robot camera covers as much of the eye's view as the camera saw: 75 of the eye's 85 degrees across,
      // 60 of its (85 degrees stretched by the eye's aspect) up and down
      double camFovX = 2 * Math.atan(Math.tan(eyeFovY / 2) * 640 / 480);
      double eyeTanX = Math.tan(MONADO_EYE_FOV_X / 2);
      double expectedW = w * Math.tan(camFovX / 2) / eyeTanX;
      double expectedH = h * Math.tan(eyeFovY / 2) / (eyeTanX * h / w);
      for (int eye = 0; eye < 2; eye++) {
        java.util.function.IntPredicate mine = eye == 0 ? left : right;
        java.util.function.IntPredicate other = eye == 0 ? right : left;
        int own = 0;
        int foreign = 0;
        int wristPx = 0;
        int greenPx = 0;
        for (int y = 0; y < h; y++) {
          for (int xx = eye * w; xx < (eye + 1) * w; xx++) {
            int c = shot.getRGB(xx, y) & 0xffffff;
            own += mine.test(c) ? 1 : 0;
            foreign += other.test(c) ? 1 : 0;
            wristPx += wrist.test(c) ? 1 : 0;
            greenPx += green.test(c) ? 1 : 0;
          }
        }
        String e = eye == 0 ? "left" : "right";
        assertTrue(own > w * h / 4, e + " eye shows its own camera: " + own + " pixels");
        // nothing of the other eye's camera: a handful of stray pixels is the HUD's red text anti-aliased over this
        // eye's blue (it classifies as the other camera's magenta), a swapped or shared camera is thousands
        assertTrue(foreign <= 16, e + " eye shows nothing of the other eye's camera: " + foreign + " pixels");
        assertTrue(wristPx > 200, e + " eye shows the wrist insets: " + wristPx + " pixels");
        assertTrue(greenPx > 20, e + " eye shows the HUD's green LINK label: " + greenPx + " pixels");
        // its extent through the middle (clear of the insets and the bar)
        int across = 0;
        for (int xx = eye * w; xx < (eye + 1) * w; xx++) {
          across += mine.test(shot.getRGB(xx, h / 2) & 0xffffff) ? 1 : 0;
        }
        int cx = eye * w + w / 2;
        int down = 0;
        for (int y = 0; y < h; y++) {
          down += mine.test(shot.getRGB(cx, y) & 0xffffff) ? 1 : 0;
        }
        assertEquals(expectedW, across, expectedW * 0.06, e + " eye: the camera's width in pixels");
        assertEquals(expectedH, down, expectedH * 0.06, e + " eye: the camera's height in pixels");
      }
    } finally {
      streaming.set(false);
      x.destroy();
      x.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static double distance(Pose a, Pose b) {
    double dx = a.getPosition().getX() - b.getPosition().getX();
    double dy = a.getPosition().getY() - b.getPosition().getY();
    double dz = a.getPosition().getZ() - b.getPosition().getZ();
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private static void assertPoseNear(Pose expected, Pose actual, double eps, String what) {
    assertEquals(0, distance(expected, actual), eps, what + " position");
    double dot = expected.getOrientation().getW() * actual.getOrientation().getW()
        + expected.getOrientation().getX() * actual.getOrientation().getX()
        + expected.getOrientation().getY() * actual.getOrientation().getY()
        + expected.getOrientation().getZ() * actual.getOrientation().getZ();
    assertEquals(1.0, Math.abs(dot), eps, what + " orientation");
  }
}
