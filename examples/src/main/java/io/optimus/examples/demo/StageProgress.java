package io.optimus.examples.demo;

import java.io.PrintStream;
import java.util.Locale;

/** Stage-by-stage progress on stderr: what starts, what it measured, what could not run and why. */
final class StageProgress {
  private final PrintStream err;
  private final int stages;
  private final long startNs = System.nanoTime();
  private long stageStartNs = startNs;

  StageProgress(PrintStream err, int stages) {
    this.err = err;
    this.stages = stages;
  }

  PrintStream stream() {
    return err;
  }

  void begin(int stage, String what) {
    stageStartNs = System.nanoTime();
    err.printf(Locale.ROOT, "[demo %d/%d %s] %s%n", stage, stages, clock(), what);
    err.flush();
  }

  void step(String what) {
    err.printf(Locale.ROOT, "[demo      %s]   %s%n", clock(), what);
    err.flush();
  }

  void done(String what) {
    err.printf(Locale.ROOT, "[demo      %s]   done in %.1f s: %s%n", clock(), (System.nanoTime() - stageStartNs) / 1e9,
        what);
    err.flush();
  }

  void unavailable(int stage, String what, String why) {
    err.printf(Locale.ROOT, "[demo %d/%d %s] UNAVAILABLE: %s could not run: %s%n", stage, stages, clock(), what, why);
    err.flush();
  }

  void skip(int stage, String what, String why) {
    err.printf(Locale.ROOT, "[demo %d/%d %s] SKIPPED: %s (%s)%n", stage, stages, clock(), what, why);
    err.flush();
  }

  private String clock() {
    long s = (System.nanoTime() - startNs) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
