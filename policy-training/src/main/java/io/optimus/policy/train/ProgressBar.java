package io.optimus.policy.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One self-overwriting line on stderr: step, loss, samples/s and ETA. Redraws at most every 200 ms
 * so it costs nothing in the training loop; a null stream makes it silent (libraries and tests).
 */
public final class ProgressBar {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startStep;
  private final long startNanos = System.nanoTime();
  private long lastDraw;

  public ProgressBar(PrintStream out, String label, long startStep, long total) {
    this.out = out;
    this.label = label;
    this.startStep = startStep;
    this.total = total;
  }

  public void update(long step, double loss, long samplesSoFar) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (step < total && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = samplesSoFar / seconds;
    double stepsPerSecond = (step - startStep) / seconds;
    double eta = stepsPerSecond > 0 ? (total - step) / stepsPerSecond : Double.NaN;
    int filled = (int) (WIDTH * step / Math.max(1, total));
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    out.printf(Locale.ROOT, "\r%s [%s] step %d/%d  loss %.4f  %.0f samples/s  ETA %s   ", label, bar, step, total,
        loss, rate, formatSeconds(eta));
    if (step >= total) {
      out.println();
    }
    out.flush();
  }

  static String formatSeconds(double s) {
    if (!Double.isFinite(s)) {
      return "--:--";
    }
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
        : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
  }
}
