package io.optimus.perception.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The one line-plot helper of the training reports (Java2D, headless): one colour per head, solid
 * for the training split and dashed for the others, log y axis when every finite value is positive.
 * A non-finite value breaks its line and is marked with a red cross on the top edge at its x, so a
 * diverged step shows as such instead of bending or blanking the plot.
 */
public final class LinePlot {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
      new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
  private static final int W = 900;
  private static final int H = 540;
  private static final int LEFT = 80;
  private static final int RIGHT = 220;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private LinePlot() {}

  public static void write(Path png, String title, Curves data) throws IOException {
    List<String> heads = new ArrayList<>();
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Curve c : data.curves()) {
      if (!heads.contains(c.head())) {
        heads.add(c.head());
      }
      for (int i = 0; i < c.x().length; i++) {
        x0 = Math.min(x0, c.x()[i]);
        x1 = Math.max(x1, c.x()[i]);
        if (Double.isFinite(c.y()[i])) {
          lo = Math.min(lo, c.y()[i]);
          hi = Math.max(hi, c.y()[i]);
        }
      }
    }
    if (!(x1 > x0)) {
      x0 = Double.isFinite(x0) ? x0 - 1 : 0;
      x1 = x0 + 2;
    }
    Axis y = Axis.of(lo, hi);
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.setColor(Color.BLACK);
      g.drawString(title, LEFT, 30);
      int pw = W - LEFT - RIGHT;
      int ph = H - TOP - BOTTOM;
      for (double t : y.ticks()) {
        int py = TOP + (int) Math.round(ph * (1 - y.at(t)));
        g.setColor(new Color(230, 230, 230));
        g.drawLine(LEFT, py, LEFT + pw, py);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.3g", t), 8, py + 5);
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, pw, ph);
      g.drawString(data.x() + " " + tick(x0), LEFT, H - 30);
      g.drawString(tick(x1), LEFT + pw - 50, H - 30);
      g.drawString(data.y() + (y.log() ? ", log scale" : ""), LEFT + pw / 2 - 80, H - 10);
      int legend = TOP + 14;
      boolean anyNonFinite = false;
      for (Curve c : data.curves()) {
        Color colour = PALETTE[heads.indexOf(c.head()) % PALETTE.length];
        BasicStroke stroke = c.split().equals("train") ? new BasicStroke(1.3f)
            : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {7, 4}, 0);
        Path2D.Double path = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < c.x().length; i++) {
          double px = LEFT + pw * (c.x()[i] - x0) / (x1 - x0);
          double v = c.y()[i];
          if (!Double.isFinite(v)) {
            open = false;
            anyNonFinite = true;
            cross(g, px, TOP);
            continue;
          }
          double py = TOP + ph * (1 - y.at(v));
          if (open) {
            path.lineTo(px, py);
          } else {
            path.moveTo(px, py);
            open = true;
          }
          if (c.x().length <= 40) {
            g.setColor(colour);
            g.fillOval((int) px - 3, (int) py - 3, 6, 6);
          }
        }
        g.setColor(colour);
        g.setStroke(stroke);
        g.draw(path);
        g.drawLine(LEFT + pw + 10, legend - 4, LEFT + pw + 40, legend - 4);
        g.setStroke(new BasicStroke(1f));
        g.drawString(c.label(), LEFT + pw + 46, legend);
        legend += 18;
      }
      if (anyNonFinite) {
        cross(g, LEFT + pw + 25, legend - 4);
        g.setColor(Color.BLACK);
        g.drawString("not finite (NaN/inf)", LEFT + pw + 46, legend);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", png.toFile());
  }

  private static String tick(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }

  /** A crisp (not antialiased) pure red cross, so the mark is unmistakable, also to a test reading pixels. */
  private static void cross(Graphics2D g, double x, double y) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setColor(Color.RED);
    g.setStroke(new BasicStroke(2f));
    g.drawLine((int) x - 5, (int) y - 5, (int) x + 5, (int) y + 5);
    g.drawLine((int) x - 5, (int) y + 5, (int) x + 5, (int) y - 5);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
  }

  /** The y axis: log10 when every value is positive and they span more than a factor of 3, else linear. */
  record Axis(double lo, double hi, boolean log) {
    static Axis of(double lo, double hi) {
      if (!(lo <= hi)) {
        return new Axis(0, 1, false);
      }
      if (lo > 0 && hi / lo > 3) {
        double a = Math.log10(lo);
        double b = Math.log10(hi);
        return new Axis(a - 0.04 * (b - a), b + 0.04 * (b - a), true);
      }
      double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-9, Math.abs(hi) * 0.1);
      return new Axis(lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad, false);
    }

    /** Where {@code v} sits on the axis, 0 at the bottom and 1 at the top. */
    double at(double v) {
      return ((log ? Math.log10(v) : v) - lo) / (hi - lo);
    }

    List<Double> ticks() {
      List<Double> t = new ArrayList<>();
      if (log) {
        // 1, 2 and 5 per decade while they fit, decades alone over a wider range
        double[] steps = hi - lo <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        for (double d = Math.floor(lo); d <= Math.ceil(hi); d++) {
          for (double m : steps) {
            double v = m * Math.pow(10, d);
            if (Math.log10(v) >= lo && Math.log10(v) <= hi) {
              t.add(v);
            }
          }
        }
      } else {
        for (int i = 0; i <= 4; i++) {
          t.add(lo + (hi - lo) * i / 4);
        }
      }
      return t;
    }
  }
}
