package io.optimus.bridge.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.world.CameraRenderer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.Stamps;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final RobotRig.Camera EYE = new RobotRig.Camera("head_left", RIG.cameras().get(0).link(), 640, 480,
      VideoConfig.DEFAULT_EYE.focal(), VideoConfig.DEFAULT_EYE.verticalFovRad());

  static KinematicsData home() {
    KinematicsData d = RIG.kinematics().newData();
    RIG.placeBase(d);
    System.arraycopy(RIG.home(), 0, d.q, 0, RIG.dof());
    RIG.kinematics().forward(d);
    return d;
  }

  static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Mean difference per channel between the decoded JPEG and the RGB pixels (0-255). */
  static double difference(byte[] jpeg, byte[] rgb) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertNotNull(img, "a readable JPEG");
    double sum = 0;
    int w = img.getWidth();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        int c = img.getRGB(x, y);
        int i = 3 * (y * w + x);
        sum += Math.abs(((c >> 16) & 0xff) - (rgb[i] & 0xff)) + Math.abs(((c >> 8) & 0xff) - (rgb[i + 1] & 0xff))
            + Math.abs((c & 0xff) - (rgb[i + 2] & 0xff));
      }
    }
    return sum / (3.0 * w * img.getHeight());
  }

  @Test
  void twoFramesFromOneReusedBufferEachDecodeToTheirOwnScene() throws Exception {
    CameraRenderer video = CameraRenderer.forVideo(RIG, EYE, "r1", 0);
    CameraRenderer reference = new CameraRenderer(RIG, EYE, "r1", 0);
    TaskWorld a = new TaskWorld("r1", "pick-place", 1, 0.9);
    TaskWorld b = null; // another scene: no table, no objects
    try (JpegEncoder jpeg = new JpegEncoder(90)) {
      BufferedImage view = JpegEncoder.rgbView(video.renderImage(home(), a));
      byte[] first = jpeg.encodeShared(view).toByteArray();
      video.renderImage(home(), b);
      byte[] second = jpeg.encodeShared(view).toByteArray();
      byte[] rgbA = reference.render(home(), a, 1, Stamps.now()).getData().toByteArray();
      byte[] rgbB = reference.render(home(), b, 2, Stamps.now()).getData().toByteArray();
      // each decodes to its own scene in the right colours (quality 90: a few levels off on average)
      assertTrue(difference(first, rgbA) < 3, "first frame vs its scene: " + difference(first, rgbA));
      assertTrue(difference(second, rgbB) < 3, "second frame vs its scene: " + difference(second, rgbB));
      assertTrue(difference(second, rgbA) > 3 * difference(second, rgbB) + 3,
          "the second frame is not the first scene: " + difference(second, rgbA));
      // the plain path agrees: the training renderer's int-RGB image, a fresh array
      byte[] plain = jpeg.encode(reference.renderImage(home(), a));
      assertTrue(difference(plain, rgbA) < 3);
    }
  }

  @Test
  void anEncodedFrameAllocatesNextToNothing() {
    CameraRenderer video = CameraRenderer.forVideo(RIG, EYE, "r1", 0);
    TaskWorld world = new TaskWorld("r1", "pick-place", 3, 0.9);
    KinematicsData d = home();
    try (JpegEncoder jpeg = new JpegEncoder(80)) {
      BufferedImage view = JpegEncoder.rgbView(video.renderImage(d, world));
      for (int i = 0; i < 10; i++) {
        jpeg.encodeShared(view); // warm up: the writer's tables, the JIT
      }
      int frames = 20;
      long a0 = allocated();
      long size = 0;
      for (int i = 0; i < frames; i++) {
        size += jpeg.encodeShared(view).size();
      }
      long perFrame = (allocated() - a0) / frames;
      assertTrue(size / frames > 1000, "a real JPEG: " + size / frames + " bytes");
      // a 640x480 frame is 900 KB of pixels; ImageIO from a BGR image allocates about 1.1 MB a frame
      assertTrue(perFrame < 16 * 1024, "heap per 640x480 frame encoded: " + perFrame + " bytes");
    }
  }

  @Test
  void theRgbViewSharesTheImagesPixelsAndRefusesOtherLayouts() {
    BufferedImage bgr = new BufferedImage(4, 2, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage view = JpegEncoder.rgbView(bgr);
    bgr.getRaster().setPixel(1, 1, new int[] {10, 20, 30}); // BGR image: band 0 = R, stored at byte 2
    // the view reads stored bytes in order: what was drawn as (r, g, b) = (10, 20, 30) reads (30, 20, 10)
    assertEquals(0xff1e140a, view.getRGB(1, 1));
    assertEquals(0, view.getRaster().createChild(0, 1, 4, 1, 0, 0, null).getMinY());
    assertEquals(30, view.getRaster().createChild(0, 1, 4, 1, 0, 0, null).getSample(1, 0, 0));
    assertEquals(10, view.getRaster().createChild(1, 1, 3, 1, 0, 0, null).getSample(0, 0, 2));
    assertThrowsIae(() -> JpegEncoder.rgbView(new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB)));
  }

  static void assertThrowsIae(Runnable r) {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
  }
}
