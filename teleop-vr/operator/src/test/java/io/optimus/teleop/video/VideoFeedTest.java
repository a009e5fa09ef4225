package io.optimus.teleop.video;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.video.JpegEncoder;
import io.optimus.bridge.video.VideoConfig;
import io.optimus.common.Stamps;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.CameraIntrinsics;
import io.optimus.proto.v1.ImageEncoding;
import io.optimus.proto.v1.VideoFrame;
import io.optimus.proto.v1.VideoStages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class VideoFeedTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  /** A JPEG VideoFrame of a w x h image filled with {@code rgb}. */
  static VideoFrame frame(String camera, long seq, int w, int h, Color rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(rgb);
    g.fillRect(0, 0, w, h);
    g.dispose();
    byte[] jpeg;
    try (JpegEncoder e = new JpegEncoder(90)) {
      jpeg = e.encode(img);
    }
    var now = Stamps.now();
    return VideoFrame.newBuilder().setSchemaVersion(1).setRobotId("f1").setCameraName(camera).setSequence(seq)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG).setWidth(w).setHeight(h).setData(ByteString.copyFrom(jpeg))
        .setIntrinsics(CameraIntrinsics.newBuilder().setFx(400).setFy(400).setCx(w / 2.0).setCy(h / 2.0))
        .setStages(VideoStages.newBuilder().setCaptured(now).setRendered(now).setEncoded(now).setPublished(now))
        .build();
  }

  @Test
  void oneDecoderDecodesEachFrameIntoItsOwnColoursAndAllocatesNextToNothing() {
    VideoImage decoder = new VideoImage("head_left");
    java.nio.ByteBuffer rgba = java.nio.ByteBuffer.allocateDirect(640 * 480 * 4);
    VideoFrame red = frame("head_left", 1, 640, 480, new Color(200, 30, 40));
    VideoFrame blue = frame("head_left", 2, 640, 480, new Color(20, 60, 210));
    decoder.decode(red, rgba);
    assertPixel(rgba, 200, 30, 40);
    decoder.decode(blue, rgba);
    assertPixel(rgba, 20, 60, 210);
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 5; i++) {
      decoder.decode(i % 2 == 0 ? red : blue, rgba); // warm up
    }
    long a0 = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10; i++) {
      decoder.decode(i % 2 == 0 ? red : blue, rgba);
    }
    long perFrame = (mx.getCurrentThreadAllocatedBytes() - a0) / 10;
    // the pixels alone are 900 KB; decoding into a BGR image allocated about that much again per frame
    assertTrue(perFrame < 32 * 1024, "heap per 640x480 frame decoded: " + perFrame + " bytes");
    assertPixel(rgba, 20, 60, 210);
  }

  /** Every pixel of the RGBA texture within JPEG rounding of (r, g, b), alpha opaque. */
  static void assertPixel(java.nio.ByteBuffer rgba, int r, int g, int b) {
    for (int i = 0; i < rgba.limit(); i += 4 * 997) {
      int[] got = {rgba.get(i) & 0xff, rgba.get(i + 1) & 0xff, rgba.get(i + 2) & 0xff, rgba.get(i + 3) & 0xff};
      assertTrue(Math.abs(got[0] - r) <= 4 && Math.abs(got[1] - g) <= 4 && Math.abs(got[2] - b) <= 4 && got[3] == 255,
          "pixel " + i / 4 + ": " + Arrays.toString(got) + " for (" + r + ", " + g + ", " + b + ")");
    }
  }

  @Test
  void aBridgesStereoVideoArrivesDecodedAsTexturesWithTheJpegsPixelsAndItsLatency() throws Exception {
    String id = "feed1";
    java.util.Map<Long, VideoFrame> raw = new java.util.concurrent.ConcurrentHashMap<>();
    try (MqttEndpoint spy = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "spy-feed1"));
        MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "op-feed1"));
        VideoFeed feed = new VideoFeed(op, id);
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults(id).withWorld("kinematic").withCamera(0)
            .withSource("command")).mqtt(MqttSettings.of(Brokers.embedded().url(), "bridge"))
            .video(VideoConfig.defaults().withRate(10)).start()) {
      spy.subscribe(Topics.video(id, "head_left"), 0, VideoFrame.parser(), (t, f) -> raw.put(f.getSequence(), f));
      Await.until(() -> feed.decoded("head_left") > 2 && feed.decoded("head_right") > 2 && feed.decoded("left_wrist") > 0,
          30_000, () -> "decoded frames of " + feed.cameras());
      // a frame both the feed decoded and the spy received (the spy may miss the first ones)
      long deadline = System.nanoTime() + 20_000_000_000L;
      VideoFeed.Shown left = feed.take("head_left");
      while (!raw.containsKey(left.sequence())) {
        left.close();
        assertTrue(System.nanoTime() < deadline, "the spy received " + raw.keySet() + ", the feed decoded up to "
            + left.sequence());
        Thread.sleep(20);
        left = feed.take("head_left");
      }
      try (VideoFeed.Shown held = left) {
        assertEquals(640, held.width());
        assertEquals(480, held.height());
        assertEquals("left", held.eye());
        assertEquals(Math.toRadians(60), held.verticalFovRad(), 1e-9);
        assertEquals(640 * 480 * 4, held.rgba().remaining());
        feed.submitted(held, System.nanoTime(), Stamps.wallNanos());
        // the texture is the JPEG's pixels, rows bottom-up: compare with ImageIO's decoding of the same frame
        VideoFrame f = raw.get(held.sequence());
        BufferedImage ref = ImageIO.read(new ByteArrayInputStream(f.getData().toByteArray()));
        for (int[] xy : new int[][] {{10, 10}, {320, 240}, {600, 470}}) {
          int i = ((479 - xy[1]) * 640 + xy[0]) * 4;
          int c = ref.getRGB(xy[0], xy[1]);
          assertEquals((c >> 16) & 0xff, held.rgba().get(i) & 0xff, "red at " + Arrays.toString(xy));
          assertEquals((c >> 8) & 0xff, held.rgba().get(i + 1) & 0xff, "green at " + Arrays.toString(xy));
          assertEquals(c & 0xff, held.rgba().get(i + 2) & 0xff, "blue at " + Arrays.toString(xy));
          assertEquals(0xff, held.rgba().get(i + 3) & 0xff);
        }
      }
      VideoLatency.Figures total = feed.latency().figures(VideoLatency.Stage.TOTAL);
      assertEquals(1, total.count());
      assertTrue(total.p50Ns() > 0 && total.p50Ns() < 10_000_000_000L, "end-to-end " + total);
      assertTrue(feed.latency().figures(VideoLatency.Stage.RENDER).p50Ns() > 0);
      assertEquals(0, feed.rejected(), feed.lastError());
    }
  }

  @Test
  void garbageTruncatedHugeAndNanFramesAreRefusedWithOneLineAndTheStreamGoesOn() throws Exception {
    String id = "feed2";
    String topic = Topics.video(id, "head_left");
    try (MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "op-feed2"), null,
        VideoFeed.MAX_PAYLOAD_BYTES + 1024);
        VideoFeed feed = new VideoFeed(op, id);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "robot-feed2"))) {
      VideoFrame good = frame("head_left", 1, 64, 48, Color.MAGENTA);
      byte[] jpeg = good.getData().toByteArray();
      Object[][] bad = {
          {new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, "not a VideoFrame"},
          {good.toBuilder().setData(ByteString.copyFrom(jpeg, 0, jpeg.length / 3)).build().toByteArray(), "corrupt or truncated"},
          {good.toBuilder().setWidth(100_000).build().toByteArray(), "out of range"},
          {good.toBuilder().setWidth(640).setHeight(480).build().toByteArray(), "the JPEG is 64x48"},
          {good.toBuilder().setIntrinsics(CameraIntrinsics.newBuilder().setFx(Double.NaN).setFy(400)).build().toByteArray(), "not finite"},
          {good.toBuilder().setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8).build().toByteArray(), "JPEG only"},
          {good.toBuilder().clearData().build().toByteArray(), "no image data"},
          {good.toBuilder().setData(ByteString.copyFrom(jpeg, 0, 2)).build().toByteArray(), "corrupt or truncated"},
      };
      for (int k = 0; k < bad.length; k++) {
        robot.publish(topic, (byte[]) bad[k][0], 1, false, 0);
        int n = k + 1;
        Await.until(() -> feed.rejected() >= n, 10_000, () -> "refusal " + n + ": " + feed.lastError());
        String e = feed.lastError();
        assertTrue(e.contains((String) bad[k][1]) && e.contains("head_left") && !e.contains("\n"),
            "case " + k + ": a one-line error naming the camera and '" + bad[k][1] + "': " + e);
      }
      // huge: over the payload limit, dropped by the endpoint before any parsing
      long over = op.oversizeCount();
      robot.publish(topic, new byte[VideoFeed.MAX_PAYLOAD_BYTES + 16], 1, false, 0);
      Await.until(() -> op.oversizeCount() > over || feed.rejected() > bad.length, 10_000, "the huge payload was handled");
      assertEquals(bad.length, feed.rejected(), "the huge payload never reached the decoder");
      // a JPEG header claiming 30000x30000 with a frame saying the same: refused by size, nothing allocated
      robot.publish(topic, good.toBuilder().setWidth(30_000).setHeight(30_000).build().toByteArray(), 1, false, 0);
      Await.until(() -> feed.rejected() > bad.length, 10_000, "the huge size was refused");
      // and the stream goes on
      robot.publish(topic, good.toByteArray(), 1, false, 0);
      Await.until(() -> feed.decoded("head_left") == 1, 10_000, () -> "the good frame after the bad: " + feed.lastError());
      try (VideoFeed.Shown s = feed.take("head_left")) {
        assertEquals(64, s.width());
        int r = s.rgba().get(0) & 0xff;
        int g = s.rgba().get(1) & 0xff;
        int b = s.rgba().get(2) & 0xff;
        assertTrue(r > 230 && g < 25 && b > 230, "magenta: " + r + "," + g + "," + b);
      }
    }
  }

  @Test
  void framesArrivingFasterThanTheyDecodeAreDroppedNotQueued() throws Exception {
    try (MqttEndpoint op = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "op-feed3"));
        VideoFeed feed = new VideoFeed(op, "feed3")) {
      byte[][] payloads = new byte[200][];
      for (int i = 0; i < payloads.length; i++) {
        payloads[i] = frame("head_left", i + 1, 640, 480, new Color(i, 255 - i, 100)).toByteArray();
      }
      for (byte[] p : payloads) {
        feed.arrived("head_left", p); // as fast as the MQTT thread could hand them over
      }
      Await.until(() -> feed.decoded("head_left") + feed.dropped("head_left") == payloads.length, 30_000,
          () -> "decoded " + feed.decoded("head_left") + " dropped " + feed.dropped("head_left"));
      assertTrue(feed.dropped("head_left") > payloads.length / 2, "most dropped: " + feed.dropped("head_left"));
      try (VideoFeed.Shown s = feed.take("head_left")) {
        assertEquals(200, s.sequence(), "the newest frame is the one shown");
      }
      // cameras named by strangers: at most MAX_CAMERAS get a decoder
      for (int i = 0; i < 20; i++) {
        feed.arrived("cam" + i, payloads[0]);
      }
      assertEquals(VideoFeed.MAX_CAMERAS, feed.cameras().size());
      assertEquals(20 - (VideoFeed.MAX_CAMERAS - 1), feed.ignoredCameras());
    }
  }
}
