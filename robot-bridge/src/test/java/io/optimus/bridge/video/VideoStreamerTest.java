package io.optimus.bridge.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedRobot;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class VideoStreamerTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  static BridgeConfig config(String id) {
    return BridgeConfig.defaults(id).withWorld(SimulatedWorlds.KINEMATIC).withCamera(0).withSource("command");
  }

  static BufferedImage decode(VideoFrame f) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.getData().toByteArray()));
    assertNotNull(img, f.getCameraName() + " is a readable JPEG");
    return img;
  }

  /** A copy of a sink's frame, whose image data is only lent for the call (as a publish serializes it). */
  static VideoFrame kept(VideoFrame f) {
    try {
      return VideoFrame.parseFrom(f.toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Mean column of the cube's (red) pixels, NaN when none. */
  static double cubeColumn(BufferedImage img) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int c = img.getRGB(x, y);
        int r = (c >> 16) & 0xff;
        int g = (c >> 8) & 0xff;
        int b = c & 0xff;
        if (r >= 150 && g <= 70 && b <= 70) {
          sum += x;
          n++;
        }
      }
    }
    return n < 20 ? Double.NaN : sum / n;
  }

  @Test
  void theStereoPairIsTwoEyesAnIpdApartWithTheDisparityOfTheCubesDepth() throws Exception {
    try (SimulatedRobot robot = SimulatedRobot.builder(RIG, config("v1")).build()) {
      Map<String, VideoFrame> frames = new ConcurrentHashMap<>();
      VideoStreamer v = new VideoStreamer(robot, VideoConfig.defaults(), f -> frames.put(f.getCameraName(), kept(f)));
      assertEquals(List.of("head_left", "head_right", "left_wrist", "right_wrist"), v.cameraNames());
      v.start();
      Thread.sleep(300);
      assertEquals(0, v.rounds(), "no video before the loop has measured the robot once");
      robot.start();
      try {
        Await.until(() -> frames.size() == 4, 20_000, () -> "frames of every camera: " + frames.keySet());
      } finally {
        v.close();
      }
      VideoFrame left = frames.get("head_left");
      VideoFrame right = frames.get("head_right");
      assertEquals("left", left.getEye());
      assertEquals("right", right.getEye());
      assertEquals(ImageEncoding.IMAGE_ENCODING_JPEG, left.getEncoding());
      BufferedImage l = decode(left);
      BufferedImage r = decode(right);
      assertEquals(640, l.getWidth());
      assertEquals(480, l.getHeight());
      assertEquals(320, decode(frames.get("left_wrist")).getWidth());
      // the lenses: 63 mm apart along the camera's x axis
      var pl = left.getCameraPose().getPosition();
      var pr = right.getCameraPose().getPosition();
      double ipd = Math.sqrt(Math.pow(pl.getX() - pr.getX(), 2) + Math.pow(pl.getY() - pr.getY(), 2)
          + Math.pow(pl.getZ() - pr.getZ(), 2));
      assertEquals(0.063, ipd, 1e-6);
      // a near object sits further right in the left eye: disparity f * ipd / depth (about 0.5-1 m here)
      double ul = cubeColumn(l);
      double ur = cubeColumn(r);
      assertTrue(!Double.isNaN(ul) && !Double.isNaN(ur), "the cube is in view of both eyes: " + ul + ", " + ur);
      double disparity = ul - ur;
      double f = left.getIntrinsics().getFx();
      assertTrue(disparity > f * 0.063 / 2.0 && disparity < f * 0.063 / 0.3,
          "disparity " + disparity + " px for f " + f + " px: a depth between 0.3 and 2 m");
    }
  }

  @Test
  void twoWorkersShareTheCamerasAndTheThreadCountIsBounded() throws Exception {
    try (SimulatedRobot robot = SimulatedRobot.builder(RIG, config("v3")).build()) {
      Map<String, Long> sequences = new ConcurrentHashMap<>();
      VideoStreamer v = new VideoStreamer(robot, VideoConfig.defaults().withThreads(2)
          .withEye(new CameraSize(160, 120, Math.toRadians(60))), f -> sequences.merge(f.getCameraName(), 1L, Long::sum));
      assertEquals(2, v.threads());
      robot.start();
      v.start();
      try {
        Await.until(() -> sequences.size() == 4 && sequences.values().stream().allMatch(n -> n >= 3), 20_000,
            () -> "frames per camera: " + sequences);
      } finally {
        v.close();
      }
      assertTrue(v.cpuNanos() > 0, "the workers' CPU time is known");
    }
    org.junit.jupiter.api.Assertions.assertThrows(io.optimus.common.InputException.class,
        () -> VideoConfig.defaults().withThreads(0));
    org.junit.jupiter.api.Assertions.assertThrows(io.optimus.common.InputException.class,
        () -> VideoConfig.defaults().withThreads(9));
  }

  static long mono(Timestamp t) {
    return t.getMonotonicNs();
  }

  @Test
  void aBridgeStreamsJpegVideoOnItsOwnTopicsWithStageStampsInOrder() throws Exception {
    String id = "video1";
    List<VideoFrame> got = new CopyOnWriteArrayList<>();
    try (RobotBridge bridge = RobotBridge.builder(RIG, config(id))
        .mqtt(MqttSettings.of(Brokers.embedded().url(), "bridge")).video(VideoConfig.defaults().withRate(10)).start();
        MqttEndpoint viewer = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "viewer-video1"))) {
      viewer.subscribe(Topics.robot(id) + "/video/+", 0, VideoFrame.parser(), (t, f) -> {
        assertEquals(Topics.video(id, f.getCameraName()), t);
        got.add(f);
      });
      Await.until(() -> got.stream().map(VideoFrame::getCameraName).distinct().count() == 4 && got.size() >= 12, 30_000,
          () -> "video of four cameras: " + got.stream().map(VideoFrame::getCameraName).distinct().toList());
      assertNotNull(bridge.video());
    }
    for (VideoFrame f : got) {
      var s = f.getStages();
      assertTrue(mono(s.getCaptured()) > 0 && mono(s.getCaptured()) <= mono(s.getRendered())
          && mono(s.getRendered()) <= mono(s.getEncoded()) && mono(s.getEncoded()) <= mono(s.getPublished()),
          "stages in order: " + s);
      assertEquals(f.getWidth(), decode(f).getWidth());
    }
    // the eyes of one round share the snapshot: same sequence, same capture stamp (a frame of either eye may be
    // dropped, so look for a round that has both)
    VideoFrame[] pair = null;
    for (VideoFrame l : got) {
      for (VideoFrame r : got) {
        if (l.getCameraName().equals("head_left") && r.getCameraName().equals("head_right")
            && l.getSequence() == r.getSequence()) {
          pair = new VideoFrame[] {l, r};
        }
      }
    }
    assertNotNull(pair, "a round with both eyes among " + got.size() + " frames");
    assertEquals(pair[0].getStages().getCaptured(), pair[1].getStages().getCaptured());
  }

  @Test
  void aSlowSinkDropsFramesInsteadOfQueueingThemAndTheLoopKeepsTicking() throws Exception {
    try (SimulatedRobot robot = SimulatedRobot.builder(RIG, config("v2")).build()) {
      AtomicLong delivered = new AtomicLong();
      VideoStreamer v = new VideoStreamer(robot, VideoConfig.defaults().withRate(60).withWrist(null)
          .withEye(new CameraSize(64, 48, Math.toRadians(60))), f -> {
            delivered.incrementAndGet();
            try {
              Thread.sleep(100); // a stalled network: at most 10 frames a second per camera get through
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      robot.start();
      v.start();
      long ticks0 = robot.loop().ticks();
      long t0 = System.nanoTime();
      Await.until(() -> v.rounds() >= 60, 20_000, () -> "60 rounds: " + v.rounds());
      v.close();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long ticks = robot.loop().ticks() - ticks0;
      long rounds = v.rounds();
      for (VideoStreamer.CameraStats s : v.stats()) {
        // every round is published or dropped (one may be in hand or waiting at close), none piles up
        assertTrue(s.published() + s.dropped() >= rounds - 2 && s.published() + s.dropped() <= rounds,
            s + " of " + rounds + " rounds");
        assertTrue(s.dropped() > rounds / 2, "most frames dropped: " + s);
        assertTrue(s.published() <= seconds * 10 + 2, "the sink's pace: " + s + " in " + seconds + " s");
      }
      assertEquals(0, v.skippedRounds());
      // the control loop never waits for video (its rate under video load: bench video-latency)
      assertTrue(ticks > 10, ticks + " ticks in " + seconds + " s");
    }
  }
}
