package io.optimus.policy.train;

import io.optimus.common.InputException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Training and validation loss per step, saved as CSV and drawn as a PNG (log-scale loss axis). */
public final class LossCurve {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** One row; validation is NaN on steps where it was not measured. */
  public record Point(long step, double train, double validation) {}

  private final List<Point> points = new ArrayList<>();

  public void add(long step, double train, double validation) {
    points.add(new Point(step, train, validation));
  }

  public List<Point> points() {
    return List.copyOf(points);
  }

  /** Drops the rows after {@code step} (a resumed run replays from its checkpoint). */
  public void truncateAfter(long step) {
    points.removeIf(p -> p.step() > step);
  }

  public void writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("step,train_loss,validation_loss\n");
    for (Point p : points) {
      sb.append(p.step()).append(',').append(Double.toString(p.train())).append(',')
          .append(Double.isNaN(p.validation()) ? "" : Double.toString(p.validation())).append('\n');
    }
    Files.writeString(file, sb);
  }

  public static LossCurve readCsv(Path file) throws IOException {
    LossCurve c = new LossCurve();
    List<String> lines = Files.readAllLines(file);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 3) {
        throw new InputException("loss curve " + file + " line " + (i + 1) + ": expected 3 fields");
      }
      c.add(Long.parseLong(f[0]), Double.parseDouble(f[1]), f[2].isEmpty() ? Double.NaN : Double.parseDouble(f[2]));
    }
    return c;
  }

  public void writePng(Path file, String title) throws IOException {
    int w = 900;
    int h = 540;
    int left = 80;
    int right = 30;
    int top = 50;
    int bottom = 60;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.setColor(Color.BLACK);
      g.drawString(title, left, 30);
      double minStep = points.isEmpty() ? 0 : points.get(0).step();
      double maxStep = points.isEmpty() ? 1 : Math.max(minStep + 1, points.get(points.size() - 1).step());
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Point p : points) {
        for (double v : new double[] {p.train(), p.validation()}) {
          if (v > 0 && Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      if (!(lo < hi)) {
        lo = lo == Double.POSITIVE_INFINITY ? 0.1 : lo / 2;
        hi = lo * 4;
      }
      double logLo = Math.floor(Math.log10(lo));
      double logHi = Math.ceil(Math.log10(hi));
      if (logHi <= logLo) {
        logHi = logLo + 1;
      }
      int pw = w - left - right;
      int ph = h - top - bottom;
      g.setColor(new Color(230, 230, 230));
      for (double d = logLo; d <= logHi; d++) {
        int y = top + (int) Math.round(ph * (logHi - d) / (logHi - logLo));
        g.drawLine(left, y, left + pw, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "1e%d", (int) d), 10, y + 5);
        g.setColor(new Color(230, 230, 230));
      }
      g.setColor(Color.BLACK);
      g.drawRect(left, top, pw, ph);
      g.drawString(String.format(Locale.ROOT, "step %d", (long) minStep), left, h - 25);
      g.drawString(String.format(Locale.ROOT, "%d", (long) maxStep), left + pw - 40, h - 25);
      g.drawString("L1 loss (normalized actions), log scale", left + pw / 2 - 120, h - 10);
      final double fLogLo = logLo;
      final double fLogHi = logHi;
      java.util.function.BiFunction<Double, Double, double[]> xy = (s, v) -> new double[] {
          left + pw * (s - minStep) / (maxStep - minStep),
          top + ph * (fLogHi - Math.log10(v)) / (fLogHi - fLogLo)};
      drawSeries(g, xy, true, new Color(31, 119, 180));
      drawSeries(g, xy, false, new Color(214, 39, 40));
      g.setColor(new Color(31, 119, 180));
      g.drawString("train", left + pw - 120, top + 20);
      g.setColor(new Color(214, 39, 40));
      g.drawString("validation", left + pw - 70, top + 20);
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private void drawSeries(Graphics2D g, java.util.function.BiFunction<Double, Double, double[]> xy, boolean train,
      Color color) {
    Path2D.Double path = new Path2D.Double();
    boolean started = false;
    for (Point p : points) {
      double v = train ? p.train() : p.validation();
      if (!(v > 0) || !Double.isFinite(v)) {
        continue;
      }
      double[] c = xy.apply((double) p.step(), v);
      if (started) {
        path.lineTo(c[0], c[1]);
      } else {
        path.moveTo(c[0], c[1]);
        started = true;
      }
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(train ? 1.2f : 2f));
    g.draw(path);
  }
}
