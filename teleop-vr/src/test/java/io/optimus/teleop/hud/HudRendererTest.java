package io.optimus.teleop.hud;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import io.optimus.common.InputException;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ImageEncoding;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class HudRendererTest {
  static CameraFrame rgb(int w, int h, int r, int g, int b) {
    byte[] d = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      d[3 * i] = (byte) r;
      d[3 * i + 1] = (byte) g;
      d[3 * i + 2] = (byte) b;
    }
    return CameraFrame.newBuilder().setCameraName("head").setSequence(7).setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(w).setHeight(h).setData(ByteString.copyFrom(d)).build();
  }

  static int count(BufferedImage img, Rectangle r, java.util.function.IntPredicate rgb) {
    int n = 0;
    for (int y = r.y; y < r.y + r.height; y++) {
      for (int x = r.x; x < r.x + r.width; x++) {
        if (rgb.test(img.getRGB(x, y) & 0xffffff)) {
          n++;
        }
      }
    }
    return n;
  }

  static boolean near(int rgb, Color c) {
    return Math.abs((rgb >> 16 & 0xff) - c.getRed()) < 8 && Math.abs((rgb >> 8 & 0xff) - c.getGreen()) < 8
        && Math.abs((rgb & 0xff) - c.getBlue()) < 8;
  }

  @Test
  void cameraUnderStatusBarWithRecAndSafetyColours() {
    HudRenderer hud = new HudRenderer(640, 480);
    BufferedImage img = hud.render(rgb(64, 48, 0, 0, 255),
        new HudStatus("r1", true, 23_000_000L, true, "ENGAGED", true));
    Rectangle v = hud.videoArea();
    assertEquals(0x0000ff, img.getRGB(v.x + v.width / 2, v.y + v.height / 2) & 0xffffff, "camera pixels in the view");
    assertTrue(count(img, hud.recArea(), c -> near(c, HudRenderer.DANGER)) > 100, "REC badge is red");
    assertTrue(count(img, hud.safetyArea(), c -> near(c, HudRenderer.OK)) > 100, "ENGAGED is green");
    assertTrue(count(img, hud.linkArea(), c -> near(c, HudRenderer.OK)) > 100, "link up is green");
    assertTrue(count(img, hud.latencyArea(), c -> c == 0xffffff) > 20, "latency text is drawn");
    assertTrue(count(img, hud.linkArea(), c -> c == 0xffffff) > 20, "link text is drawn");

    img = hud.render(null, new HudStatus("r1", false, -1, false, "ESTOP", false));
    assertEquals(0, count(img, hud.recArea(), c -> near(c, HudRenderer.DANGER)), "no REC badge when not recording");
    assertTrue(count(img, hud.safetyArea(), c -> near(c, HudRenderer.DANGER)) > 100, "ESTOP is red");
    assertTrue(count(img, hud.linkArea(), c -> near(c, HudRenderer.DANGER)) > 100, "no link is red");
    assertTrue(near(img.getRGB(v.x + v.width / 2, v.y + 5) & 0xffffff, HudRenderer.DANGER) || near(img.getRGB(v.x + 1, v.y + v.height / 2) & 0xffffff, HudRenderer.DANGER),
        "e-stop frames the view in red");
    assertTrue(count(img, new Rectangle(v.x + 20, v.y + 20, v.width - 40, v.height - 40), c -> near(c, HudRenderer.NO_VIDEO)) > v.width * v.height / 2,
        "no camera: an empty grey view");
  }

  @Test
  void aRecordingThatFailedShowsAnAmberBadgeUntilANewOneStarts() {
    HudRenderer hud = new HudRenderer(640, 480);
    BufferedImage img = hud.render(null, new HudStatus("r1", true, -1, false, "ENGAGED", true, true));
    assertTrue(count(img, hud.recArea(), c -> near(c, HudRenderer.WARN)) > 100, "REC FAILED badge is amber");
    assertEquals(0, count(img, hud.recArea(), c -> near(c, HudRenderer.DANGER)), "not the REC badge");
    img = hud.render(null, new HudStatus("r1", true, -1, true, "ENGAGED", true, false));
    assertEquals(0, count(img, hud.recArea(), c -> near(c, HudRenderer.WARN)), "recording again: no failure badge");
  }

  @Test
  void theBarAloneShowsVideoLatencyAndTaskAndWarnsAboveFiftyMilliseconds() {
    HudRenderer bar = HudRenderer.bar(1536, 64);
    assertEquals(64, bar.image().getHeight());
    BufferedImage img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false,
        "pick-place ✓", 38_000_000L, 47_000_000L));
    assertTrue(count(img, bar.videoLatencyArea(), c -> c == 0xffffff) > 40, "video latency text is drawn");
    assertEquals(0, count(img, bar.videoLatencyArea(), c -> near(c, HudRenderer.WARN)), "p99 under 50 ms: no warning");
    assertTrue(count(img, bar.taskArea(), c -> c == 0xffffff) > 40, "task text is drawn");
    assertTrue(count(img, bar.linkArea(), c -> near(c, HudRenderer.OK)) > 100, "link up is green");
    img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false, "", 40_000_000L,
        80_000_000L));
    assertTrue(count(img, bar.videoLatencyArea(), c -> near(c, HudRenderer.WARN)) > 100, "p99 over 50 ms: amber");
    assertEquals(0, count(img, bar.taskArea(), c -> c == 0xffffff), "no task: empty cell");
    // a label longer than its cell is drawn smaller, inside it: nothing spills into the next cell
    img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false,
        "a-very-long-task-name-indeed", -1, -1));
    Rectangle t = bar.taskArea();
    assertTrue(count(img, t, c -> c == 0xffffff) > 20, "the long task name is drawn");
    assertEquals(0, count(img, new Rectangle(t.x, 0, 3, t.height), c -> c == 0xffffff), "not over the left edge");
    assertEquals(0, count(img, new Rectangle(t.x + t.width - 3, 0, 3, t.height), c -> c == 0xffffff),
        "not over the right edge");
    // e-stop: the whole bar is red, not only the safety cell
    img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ESTOP", false, false, "", -1, -1));
    Rectangle all = new Rectangle(0, 0, 1536, 64);
    assertTrue(count(img, all, c -> near(c, HudRenderer.DANGER)) > 1536 * 64 / 2, "a red band");
  }

  @Test
  void aClampedJointIsNamedInAmberOverTheMiddleOfTheBarUntilItClears() {
    HudRenderer bar = HudRenderer.bar(1536, 64);
    Rectangle c = bar.clampArea();
    assertEquals(bar.videoLatencyArea().union(bar.taskArea()), c);
    BufferedImage img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false,
        "pick-place", 38_000_000L, 47_000_000L, new ClampedJoint("left_elbow_joint", "position limit")));
    assertTrue(count(img, c, px -> near(px, HudRenderer.WARN)) > c.width * c.height / 2, "an amber label");
    int text = count(img, c, px -> px == 0x000000);
    assertTrue(text > 100, "its text is drawn: " + text + " black pixels");
    assertEquals(0, count(img, c, px -> px == 0xffffff), "the video latency and task are covered");
    assertTrue(count(img, bar.safetyArea(), px -> near(px, HudRenderer.OK)) > 100, "the safety mode stays");
    assertTrue(count(img, bar.latencyArea(), px -> px == 0xffffff) > 20, "the teleop latency stays");
    // another joint reads differently (the name is drawn, not a fixed badge)
    BufferedImage other = HudRenderer.bar(1536, 64).renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED",
        true, false, "pick-place", 38_000_000L, 47_000_000L, new ClampedJoint("neck_pitch_joint", "velocity limit")));
    assertNotEquals(pixels(img, c), pixels(other, c), "the label names the joint and the reason");
    // it clears
    img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false, "pick-place",
        38_000_000L, 47_000_000L, ClampedJoint.NONE));
    assertEquals(0, count(img, c, px -> near(px, HudRenderer.WARN)), "no clamp: no amber");
    assertTrue(count(img, bar.taskArea(), px -> px == 0xffffff) > 40, "the task is back");
    // the panel (before video) shows it in the same place
    HudRenderer panel = new HudRenderer(640, 480);
    img = panel.render(null, new HudStatus("r1", true, -1, false, "ENGAGED", true, false, "", -1, -1,
        new ClampedJoint("right_wrist_roll_joint", "self-collision")));
    assertTrue(count(img, panel.clampArea(), px -> near(px, HudRenderer.WARN)) > panel.clampArea().width
        * panel.clampArea().height / 2, "amber on the panel too");
  }

  @Test
  void aDrivingPolicyAndATakeoverAreShownInTheTaskCell() {
    HudRenderer bar = HudRenderer.bar(1536, 64);
    Rectangle t = bar.taskArea();
    java.util.function.Function<Driver, BufferedImage> draw = d -> bar.renderBar(new HudStatus("r1", true, 12_000_000L,
        false, "ENGAGED", true, false, "pick-place", 38_000_000L, 47_000_000L, ClampedJoint.NONE, d));
    BufferedImage img = draw.apply(Driver.OPERATOR);
    assertEquals(0, count(img, t, px -> near(px, HudRenderer.AUTONOMOUS) || near(px, HudRenderer.TAKEN_OVER)),
        "the operator drives: the task as before");
    img = draw.apply(Driver.of(io.optimus.proto.v1.BridgeStatus.newBuilder().setActionSource("command").build(), null));
    assertTrue(count(img, t, px -> near(px, HudRenderer.AUTONOMOUS)) > t.width * t.height / 2, "blue: a policy drives");
    assertTrue(count(img, t, px -> px == 0xffffff) > 40, "named");
    img = draw.apply(Driver.of(io.optimus.proto.v1.BridgeStatus.newBuilder().setActionSource("teleop").setTakenOver(true)
        .build(), io.optimus.proto.v1.JointState.newBuilder().setActionSource("teleop").build()));
    assertTrue(count(img, t, px -> near(px, HudRenderer.TAKEN_OVER)) > t.width * t.height / 2, "purple: taken over");
    assertEquals(0, count(img, t, px -> near(px, HudRenderer.AUTONOMOUS)));
    assertEquals("AUTO policy:act", Driver.of(null,
        io.optimus.proto.v1.JointState.newBuilder().setActionSource("policy:act").build()).label(),
        "the state's source (every tick) before the status's");
  }

  @Test
  void aRefusedTakeoverIsSaidInAmberForAFewSeconds() {
    var refused = io.optimus.proto.v1.ControlReply.newBuilder().setRequestId("operator-event-17").setOk(false)
        .setMessage("takeover refused: no engaged operator: an operator must be streaming with the deadman held").build();
    String text = HudStatus.refusal(refused, 1_000_000_000L);
    assertEquals(refused.getMessage(), text);
    assertEquals("", HudStatus.refusal(refused, HudStatus.REFUSAL_SHOWN_NS + 1), "gone after a few seconds");
    assertEquals("", HudStatus.refusal(refused.toBuilder().setOk(true).build(), 0), "taken: nothing to say");
    assertEquals("", HudStatus.refusal(refused.toBuilder().setRequestId("req-1").build(), 0),
        "another client's request is not this operator's business");
    HudRenderer bar = HudRenderer.bar(1536, 64);
    Rectangle c = bar.clampArea();
    BufferedImage img = bar.renderBar(new HudStatus("r1", true, 12_000_000L, false, "ENGAGED", true, false, "pick-place",
        38_000_000L, 47_000_000L, ClampedJoint.NONE, new Driver("command", false), text));
    assertTrue(count(img, c, px -> near(px, HudRenderer.WARN)) > c.width * c.height / 2, "amber over the middle cells");
    assertEquals(0, count(img, bar.taskArea(), px -> near(px, HudRenderer.AUTONOMOUS)), "covers the driver meanwhile");
  }

  private static java.util.List<Integer> pixels(BufferedImage img, Rectangle r) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int y = r.y; y < r.y + r.height; y++) {
      for (int x = r.x; x < r.x + r.width; x++) {
        out.add(img.getRGB(x, y));
      }
    }
    return out;
  }

  @Test
  void decodesPngMonoAndRowPaddedRgb() throws Exception {
    BufferedImage src = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
    src.setRGB(3, 2, 0x12ab34);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(src, "png", png);
    CameraFrame f = CameraFrame.newBuilder().setCameraName("head").setEncoding(ImageEncoding.IMAGE_ENCODING_PNG)
        .setData(ByteString.copyFrom(png.toByteArray())).build();
    assertEquals(0x12ab34, CameraFrameDisplay.decode(f).getRGB(3, 2) & 0xffffff);

    byte[] padded = new byte[2 * 8]; // 2x2 RGB8 with an 8-byte step
    padded[8 + 3] = (byte) 200; // pixel (1,1) red
    CameraFrame p = CameraFrame.newBuilder().setCameraName("head").setEncoding(ImageEncoding.IMAGE_ENCODING_RGB8)
        .setWidth(2).setHeight(2).setStep(8).setData(ByteString.copyFrom(padded)).build();
    assertEquals(200 << 16, CameraFrameDisplay.decode(p).getRGB(1, 1) & 0xffffff);

    CameraFrame mono = CameraFrame.newBuilder().setCameraName("head").setEncoding(ImageEncoding.IMAGE_ENCODING_MONO8)
        .setWidth(1).setHeight(1).setData(ByteString.copyFrom(new byte[] {(byte) 0x80})).build();
    assertEquals(0x808080, CameraFrameDisplay.decode(mono).getRGB(0, 0) & 0xffffff);
  }

  @Test
  void truncatedOrCorruptFramesAreRefusedByName() {
    CameraFrame shortFrame = rgb(64, 48, 1, 2, 3).toBuilder().setData(ByteString.copyFrom(new byte[100])).build();
    InputException e = assertThrows(InputException.class, () -> CameraFrameDisplay.decode(shortFrame));
    assertTrue(e.getMessage().contains("'head' #7") && e.getMessage().contains("got 100"), e.getMessage());
    CameraFrame garbage = CameraFrame.newBuilder().setCameraName("head").setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
        .setData(ByteString.copyFromUtf8("not a jpeg")).build();
    assertThrows(InputException.class, () -> CameraFrameDisplay.decode(garbage));
  }
}
