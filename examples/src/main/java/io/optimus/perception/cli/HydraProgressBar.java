package io.optimus.perception.cli;

import io.optimus.perception.train.EpochStats;
import io.optimus.perception.train.TrainingProgress;
import java.io.PrintWriter;

/** A one-line training progress bar on stderr, redrawn at most 5 times a second. */
final class HydraProgressBar implements TrainingProgress {
  private static final int WIDTH = 24;
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int stepsDone;

  HydraProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void generating(int done, int total) {
    err.print("\rgenerating images " + done + "/" + total + "   ");
    if (done == total) {
      err.println();
    }
    err.flush();
  }

  @Override
  public void step(int epoch, int epochs, int batch, int batches, double loss, double imagesPerSecond) {
    stepsDone++;
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L && batch != batches) {
      return;
    }
    lastDraw = now;
    int total = epochs * batches;
    int filled = (int) Math.round(WIDTH * (double) stepsDone / total);
    double elapsed = (now - start) / 1e9;
    double eta = elapsed / stepsDone * (total - stepsDone);
    err.printf("\repoch %d/%d [%s%s] %d/%d loss %.3f %.1f img/s ETA %s   ", epoch, epochs, "#".repeat(filled),
        ".".repeat(WIDTH - filled), batch, batches, loss, imagesPerSecond, duration(eta));
    err.flush();
  }

  @Override
  public void epochDone(EpochStats s) {
    err.printf("%nepoch %d: train loss %.3f, held-out loss %.3f (seg %.3f, depth %.3f, heatmap %.3f, size %.3f;"
        + " robot seg %.3f, depth %.3f, centres %.3f), %.0f s%n",
        s.epoch(), s.trainLoss(), s.heldOutLoss(), s.heldOutSeg(), s.heldOutDepth(), s.heldOutHeatmap(),
        s.heldOutSize(), s.heldOutRobotSeg(), s.heldOutRobotDepth(), s.heldOutRobotCentre(), s.seconds());
    err.flush();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
