package io.optimus.perception.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Sample camera frames side by side, enlarged, with labelled points (green circles) and predicted
 * points (red crosses) drawn over them: prediction against label at a glance.
 */
public final class FrameSheet {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * One frame and its points, in the frame's pixels (x right, y down; pixel i covers [i, i+1)).
   *
   * @param rgb row-major RGB8
   */
  public record Frame(String caption, int width, int height, byte[] rgb, List<double[]> labels,
      List<double[]> predictions) {}

  private FrameSheet() {}

  public static void write(Path png, List<Frame> frames, int scale) throws IOException {
    int cellW = frames.stream().mapToInt(Frame::width).max().orElse(1) * scale;
    int cellH = frames.stream().mapToInt(Frame::height).max().orElse(1) * scale;
    int gap = 10;
    int caption = 34;
    BufferedImage sheet = new BufferedImage(Math.max(1, frames.size() * (cellW + gap) + gap), cellH + caption + 2 * gap,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i < frames.size(); i++) {
        Frame f = frames.get(i);
        int ox = gap + i * (cellW + gap);
        int oy = gap;
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image(f).getScaledInstance(f.width() * scale, f.height() * scale, Image.SCALE_REPLICATE), ox, oy,
            null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(2f));
        g.setColor(new Color(0, 230, 0));
        for (double[] p : f.labels()) {
          int x = ox + (int) Math.round(p[0] * scale);
          int y = oy + (int) Math.round(p[1] * scale);
          g.drawOval(x - 7, y - 7, 14, 14);
        }
        g.setColor(Color.RED);
        for (double[] p : f.predictions()) {
          int x = ox + (int) Math.round(p[0] * scale);
          int y = oy + (int) Math.round(p[1] * scale);
          g.drawLine(x - 5, y - 5, x + 5, y + 5);
          g.drawLine(x - 5, y + 5, x + 5, y - 5);
        }
        g.setColor(Color.BLACK);
        g.drawString(f.caption(), ox, oy + cellH + 16);
        g.drawString("o label  x prediction", ox, oy + cellH + 30);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(sheet, "png", png.toFile());
  }

  private static BufferedImage image(Frame f) {
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < f.width(); x++) {
        int k = 3 * (y * f.width() + x);
        img.setRGB(x, y, (f.rgb()[k] & 0xFF) << 16 | (f.rgb()[k + 1] & 0xFF) << 8 | (f.rgb()[k + 2] & 0xFF));
      }
    }
    return img;
  }
}
