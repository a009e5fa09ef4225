package io.optimus.perception.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Grouped bars (Java2D, headless): one group per category, one bar per series, linear axis from 0.
 * A value that is not finite gets no bar but a red "NaN" over its slot.
 */
public final class BarPlot {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Color[] COLOURS = {new Color(31, 119, 180), new Color(180, 180, 180), new Color(44, 160, 44)};

  private BarPlot() {}

  /**
   * @param values {@code values[series][category]}
   * @param max the top of the axis, or NaN to fit the values
   */
  public static void write(Path png, String title, List<String> categories, List<String> series, double[][] values,
      double max) throws IOException {
    int w = 900;
    int h = 420;
    int left = 70;
    int top = 50;
    int bottom = 90;
    int right = 20;
    double top0 = max;
    if (!(top0 > 0)) {
      top0 = 1e-9;
      for (double[] s : values) {
        for (double v : s) {
          top0 = Double.isFinite(v) ? Math.max(top0, v) : top0;
        }
      }
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      g.drawString(title, left, 30);
      int pw = w - left - right;
      int ph = h - top - bottom;
      g.drawRect(left, top, pw, ph);
      g.drawString(String.format(Locale.ROOT, "%.3g", top0), 5, top + 5);
      g.drawString("0", 5, top + ph + 5);
      double slot = categories.isEmpty() ? pw : (double) pw / categories.size();
      double bar = 0.7 / Math.max(1, series.size());
      for (int i = 0; i < categories.size(); i++) {
        for (int s = 0; s < series.size(); s++) {
          double v = values[s][i];
          int x = left + (int) (slot * (i + 0.15 + bar * s));
          if (!Double.isFinite(v)) {
            g.setColor(Color.RED);
            g.drawString("NaN", x, top + ph - 4);
            continue;
          }
          int bh = (int) Math.round(ph * Math.min(1, Math.max(0, v) / top0));
          g.setColor(COLOURS[s % COLOURS.length]);
          g.fillRect(x, top + ph - bh, (int) Math.max(1, slot * bar * 0.95), bh);
        }
        g.setColor(Color.BLACK);
        g.drawString(categories.get(i), left + (int) (slot * i + 4), top + ph + 18 + 14 * (i % 3));
      }
      int lx = w - right - 90 * series.size();
      for (int s = 0; s < series.size(); s++) {
        g.setColor(COLOURS[s % COLOURS.length]);
        g.drawString(series.get(s), lx + 90 * s, 30);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", png.toFile());
  }
}
