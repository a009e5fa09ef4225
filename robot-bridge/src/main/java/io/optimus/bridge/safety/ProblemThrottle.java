package io.optimus.bridge.safety;

/**
 * Reports a repeating input problem once per burst instead of once per message: the first occurrence
 * is reported at once, repeats are counted and summarised at most every {@code reminderNs} while they
 * go on, and once more when the input is good again. A different problem starts a new burst.
 */
public final class ProblemThrottle {
  private final long reminderNs;
  private String problem;
  private long burstStartNs;
  private long lastReportNs;
  private long repeats;
  private long unreported;
  private long total;

  public ProblemThrottle(long reminderNs) {
    this.reminderNs = reminderNs;
  }

  /** The problem happened again: the line to report now, or null to stay quiet (it is counted). */
  public synchronized String occurred(long nowNs, String p) {
    total++;
    if (!p.equals(problem)) {
      problem = p;
      burstStartNs = nowNs;
      lastReportNs = nowNs;
      repeats = 0;
      unreported = 0;
      return p;
    }
    repeats++;
    unreported++;
    if (nowNs - lastReportNs < reminderNs) {
      return null;
    }
    lastReportNs = nowNs;
    unreported = 0;
    return p + " (still happening: " + repeats + " repeats in " + seconds(nowNs) + " s)";
  }

  /** The input is good again: a closing line if repeats went unreported since the last line, else null. */
  public synchronized String cleared(long nowNs) {
    if (problem == null) {
      return null;
    }
    String line = unreported == 0 ? null
        : problem + " (ended: " + repeats + " repeats in " + seconds(nowNs) + " s)";
    problem = null;
    return line;
  }

  /** Occurrences ever seen, reported or not. */
  public synchronized long total() {
    return total;
  }

  private String seconds(long nowNs) {
    return String.format(java.util.Locale.ROOT, "%.1f", (nowNs - burstStartNs) / 1e9);
  }
}
