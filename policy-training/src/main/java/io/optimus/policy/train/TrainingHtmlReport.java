package io.optimus.policy.train;

import io.optimus.policy.RunFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A training run's static report: {@code report.html} in the run directory, self-contained but for
 * the PNG plots beside it (the loss curve per split, {@code loss.png}; the held-out action error per
 * joint group against the mean-action baseline, {@code action-errors.png}), opened from disk with
 * any browser, nothing fetched.
 */
public final class TrainingHtmlReport {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private TrainingHtmlReport() {}

  /** Writes {@code action-errors.png} (when there were held-out episodes) and {@code report.html}. */
  public static void write(RunFiles files, TrainingReport r, String title) throws IOException {
    boolean errors = r.heldOut() != null && r.heldOut().samples() > 0;
    if (errors) {
      writeErrorsPng(files, r.heldOut());
    }
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font:14px sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{text-align:left;background:#f4f4f4}"
            + "img{max-width:100%;border:1px solid #ddd}</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n<h2>Run</h2>\n<table>\n");
    row(h, "run", r.run());
    row(h, "policy", r.kind());
    row(h, "steps", r.steps() + (r.resumedFromStep() > 0 ? " (resumed from " + r.resumedFromStep() + ")" : ""));
    row(h, "episodes (train / validation)", r.trainEpisodes() + " / " + r.validationEpisodes());
    row(h, "training samples", Integer.toString(r.trainSamples()));
    row(h, "final loss (train / validation)", num(r.finalTrainLoss()) + " / " + num(r.finalValidationLoss()));
    row(h, "throughput", num(r.samplesPerSecond()) + " samples/s over " + num(r.seconds()) + " s");
    h.append("</table>\n<h2>Loss per split</h2>\n");
    if (Files.exists(files.lossPng())) {
      h.append("<img src=\"").append(files.lossPng().getFileName()).append("\" alt=\"training and validation loss\">\n");
    }
    h.append("<p><a href=\"").append(files.lossCsv().getFileName()).append("\">loss.csv</a> &middot; <a href=\"")
        .append(files.metrics().getFileName()).append("\">metrics.json</a></p>\n");
    h.append("<h2>Held-out action error</h2>\n");
    if (!errors) {
      h.append("<p>No held-out episodes: nothing to measure the action error on.</p>\n");
    } else {
      ActionErrors e = r.heldOut();
      h.append("<img src=\"").append(files.actionErrorsPng().getFileName())
          .append("\" alt=\"held-out action error per joint group\">\n<table>\n<tr><th>joint group</th><th>policy</th>"
              + "<th>mean-action baseline</th></tr>\n");
      for (Map.Entry<String, Double> g : e.perGroup().entrySet()) {
        h.append("<tr><th>").append(esc(g.getKey())).append("</th><td>").append(num(g.getValue())).append("</td><td>")
            .append(num(e.baselinePerGroup().getOrDefault(g.getKey(), Double.NaN))).append("</td></tr>\n");
      }
      h.append("<tr><th>overall (").append(e.samples()).append(" samples)</th><td>").append(num(e.overall()))
          .append("</td><td>").append(num(e.baselineOverall())).append("</td></tr>\n</table>\n");
      h.append("<p>First action of each chunk: ").append(num(e.firstStep())).append(" (rad or m).</p>\n");
    }
    h.append("</body></html>\n");
    Files.writeString(files.report(), h);
  }

  private static void writeErrorsPng(RunFiles files, ActionErrors e) throws IOException {
    List<String> groups = new ArrayList<>(e.perGroup().keySet());
    int w = 900, h = 420, left = 70, top = 50, bottom = 90, right = 20;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      g.drawString("held-out action error per joint group (rad or m): policy vs mean-action baseline", left, 30);
      double max = 1e-9;
      for (String k : groups) {
        max = Math.max(max, finite(e.perGroup().get(k)));
        max = Math.max(max, finite(e.baselinePerGroup().getOrDefault(k, 0.0)));
      }
      int pw = w - left - right, ph = h - top - bottom;
      g.drawRect(left, top, pw, ph);
      g.drawString(String.format(Locale.ROOT, "%.3g", max), 5, top + 5);
      g.drawString("0", 5, top + ph + 5);
      double slot = groups.isEmpty() ? pw : (double) pw / groups.size();
      for (int i = 0; i < groups.size(); i++) {
        String k = groups.get(i);
        double[] v = {finite(e.perGroup().get(k)), finite(e.baselinePerGroup().getOrDefault(k, 0.0))};
        Color[] c = {new Color(31, 119, 180), new Color(180, 180, 180)};
        for (int b = 0; b < 2; b++) {
          int bh = (int) Math.round(ph * v[b] / max);
          int x = left + (int) (slot * i + slot * (0.15 + 0.35 * b));
          g.setColor(c[b]);
          g.fillRect(x, top + ph - bh, (int) Math.max(1, slot * 0.33), bh);
        }
        g.setColor(Color.BLACK);
        g.drawString(k, left + (int) (slot * i + 4), top + ph + 18 + 14 * (i % 3));
      }
      g.setColor(new Color(31, 119, 180));
      g.drawString("policy", w - 170, 30);
      g.setColor(Color.GRAY);
      g.drawString("baseline", w - 110, 30);
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", files.actionErrorsPng().toFile());
  }

  private static double finite(Double v) {
    return v == null || !Double.isFinite(v) ? 0 : Math.max(0, v);
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
