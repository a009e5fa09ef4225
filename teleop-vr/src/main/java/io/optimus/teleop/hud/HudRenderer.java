package io.optimus.teleop.hud;

import io.optimus.proto.v1.CameraFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Composes the headset's quad-layer texture: the robot's head-camera image (letterboxed) under a
 * status bar with link state, measured latency, video latency (p50/p99), the task, REC and the safety
 * state; or the status bar alone ({@link #bar}), laid over the stereo video. While the robot cannot follow
 * the operator with a joint ({@link HudStatus#clamp()}), an amber label over the video-latency and task cells
 * names the joint and why ({@link #clampArea()}). While another source (a policy) drives, the task cell says so
 * in blue ({@code AUTO command}), and {@code TAKEN OVER} in purple once the operator took over from it
 * ({@link HudStatus#driver()}); a refusal of the operator's last action (a takeover without the deadman) covers the
 * same cells in amber for a few seconds ({@link HudStatus#refusal()}). Pure Java2D, so it is
 * testable without a GPU; the OpenGL view uploads {@link #image()} as it is. Labels too long for their
 * cell are drawn in a smaller font.
 */
public final class HudRenderer {
  public static final Color OK = new Color(0x2e, 0xcc, 0x40);
  public static final Color WARN = new Color(0xff, 0xb0, 0x00);
  public static final Color DANGER = new Color(0xe8, 0x20, 0x20);
  public static final Color BAR = new Color(0x10, 0x10, 0x10);
  public static final Color NO_VIDEO = new Color(0x30, 0x30, 0x30);
  /** A source other than the operator (a policy) drives. */
  public static final Color AUTONOMOUS = new Color(0x1e, 0x6f, 0xe0);
  /** The operator drives, having taken over from such a source. */
  public static final Color TAKEN_OVER = new Color(0x9b, 0x3f, 0xc8);

  private final BufferedImage image;
  private final Graphics2D g;
  private final int bar;
  private final Font font;
  private final Rectangle link;
  private final Rectangle latency;
  private final Rectangle rec;
  private final Rectangle safety;
  private final Rectangle videoLatency;
  private final Rectangle task;
  private final Rectangle clamp;
  private final Rectangle video;

  public HudRenderer(int width, int height) {
    this(width, height, Math.max(24, height / 12));
    if (width < 160 || height < 120) {
      throw new IllegalArgumentException("HUD size " + width + "x" + height + " is too small (min 160x120)");
    }
  }

  private HudRenderer(int width, int height, int bar) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    this.bar = bar;
    font = new Font(Font.SANS_SERIF, Font.BOLD, bar * 2 / 3);
    // link | latency | video latency | task | REC | safety
    int w6 = width / 6;
    link = new Rectangle(0, 0, w6, bar);
    latency = new Rectangle(w6, 0, w6, bar);
    videoLatency = new Rectangle(2 * w6, 0, w6, bar);
    task = new Rectangle(3 * w6, 0, w6, bar);
    rec = new Rectangle(4 * w6, 0, w6, bar);
    safety = new Rectangle(5 * w6, 0, width - 5 * w6, bar);
    clamp = videoLatency.union(task);
    video = new Rectangle(0, bar, width, height - bar);
  }

  /** The status bar alone, {@code width} x {@code height} (laid over the stereo video in the headset). */
  public static HudRenderer bar(int width, int height) {
    if (width < 240 || height < 16 || height > width) {
      throw new IllegalArgumentException("HUD bar " + width + "x" + height + " is out of range");
    }
    return new HudRenderer(width, height, height);
  }

  public BufferedImage image() {
    return image;
  }

  public Rectangle linkArea() {
    return link;
  }

  public Rectangle latencyArea() {
    return latency;
  }

  public Rectangle recArea() {
    return rec;
  }

  public Rectangle safetyArea() {
    return safety;
  }

  public Rectangle videoArea() {
    return video;
  }

  public Rectangle videoLatencyArea() {
    return videoLatency;
  }

  public Rectangle taskArea() {
    return task;
  }

  /** Where a clamped joint is named (over the video-latency and task cells while it lasts). */
  public Rectangle clampArea() {
    return clamp;
  }

  /** Draws the status bar alone; returns {@link #image()}. */
  public BufferedImage renderBar(HudStatus s) {
    drawBar(s);
    return image;
  }

  /** Draws {@code camera} (null: "NO VIDEO") under the status bar; returns {@link #image()}. */
  public BufferedImage render(CameraFrame camera, HudStatus s) {
    g.setColor(NO_VIDEO);
    g.fill(video);
    if (camera != null) {
      BufferedImage img = CameraFrameDisplay.decode(camera);
      double scale = Math.min(video.width / (double) img.getWidth(), video.height / (double) img.getHeight());
      int w = (int) Math.round(img.getWidth() * scale);
      int h = (int) Math.round(img.getHeight() * scale);
      g.setColor(Color.BLACK);
      g.fill(video);
      g.drawImage(img, video.x + (video.width - w) / 2, video.y + (video.height - h) / 2, w, h, null);
    } else {
      label(video, "NO VIDEO", Color.LIGHT_GRAY, null);
    }
    drawBar(s);
    if ("ESTOP".equals(s.safetyMode())) { // impossible to miss: a red frame around the view
      g.setColor(DANGER);
      int stroke = Math.max(4, bar / 4);
      g.setStroke(new BasicStroke(stroke));
      g.drawRect(video.x + stroke / 2, video.y + stroke / 2, video.width - stroke, video.height - stroke);
    }
    return image;
  }

  private void drawBar(HudStatus s) {
    // the bar alone on e-stop turns red: over the stereo video it is the band the operator cannot miss (the
    // panel frames its view in red instead)
    g.setColor(video.height == 0 && "ESTOP".equals(s.safetyMode()) ? DANGER : BAR);
    g.fillRect(0, 0, image.getWidth(), bar);
    label(link, s.linkUp() ? "LINK " + s.robotId() : "NO LINK", Color.WHITE, s.linkUp() ? OK : DANGER);
    String lat = s.latencyNs() < 0 ? "-- ms" : String.format(Locale.ROOT, "%d ms", Math.round(s.latencyNs() / 1e6));
    Color latColor = s.latencyNs() < 0 ? null : s.latencyNs() > 100_000_000L ? DANGER : s.latencyNs() > 40_000_000L ? WARN : null;
    label(latency, lat, Color.WHITE, latColor);
    if (s.recording()) {
      label(rec, "● REC", Color.WHITE, DANGER);
    } else if (s.recordingFailed()) { // the operator must know the episode is no longer being recorded
      label(rec, "REC FAILED", Color.BLACK, WARN);
    }
    String mode = s.safetyMode() == null ? "UNKNOWN" : s.safetyMode();
    Color modeColor = switch (mode) {
      case "ENGAGED" -> OK;
      case "ESTOP", "SAFE_RAMP" -> DANGER;
      case "HOLD", "DISENGAGED" -> WARN;
      default -> null;
    };
    label(safety, mode + (s.deadman() ? " ✋" : ""), Color.WHITE, modeColor);
    if (s.videoP50Ns() >= 0) {
      long p99 = s.videoP99Ns();
      label(videoLatency, String.format(Locale.ROOT, "VID %d/%d ms", Math.round(s.videoP50Ns() / 1e6),
          Math.round(p99 / 1e6)), Color.WHITE, p99 > 100_000_000L ? DANGER : p99 > 50_000_000L ? WARN : null);
    } else {
      label(videoLatency, "VID --", Color.LIGHT_GRAY, null);
    }
    if (!s.driver().label().isEmpty()) { // who drives matters more than the task's name
      label(task, s.driver().label(), Color.WHITE, s.driver().takenOver() ? TAKEN_OVER : AUTONOMOUS);
    } else if (s.task() != null && !s.task().isEmpty()) {
      label(task, s.task(), Color.WHITE, null);
    }
    if (!s.refusal().isEmpty()) { // the robot refused what the operator just did: say why, for a few seconds
      g.setColor(BAR);
      g.fill(clamp);
      label(clamp, s.refusal(), Color.BLACK, WARN);
    } else if (s.clamp().any()) { // safety won over the operator there: which joint, and why
      g.setColor(BAR);
      g.fill(clamp);
      label(clamp, s.clamp().label(), Color.BLACK, WARN);
    }
  }

  private void label(Rectangle r, String text, Color fg, Color bg) {
    if (bg != null) {
      g.setColor(bg);
      g.fillRect(r.x + 2, r.y + 2, r.width - 4, r.height - 4);
    }
    g.setFont(font);
    var fm = g.getFontMetrics();
    int tw = fm.stringWidth(text);
    if (tw > r.width - 8) { // too long for its cell: a font that fits
      g.setFont(font.deriveFont(Math.max(8f, font.getSize2D() * (r.width - 8) / tw)));
      fm = g.getFontMetrics();
      tw = fm.stringWidth(text);
    }
    g.setColor(fg);
    g.drawString(text, r.x + (r.width - tw) / 2, r.y + (r.height + fm.getAscent() - fm.getDescent()) / 2);
  }
}
