package io.optimus.examples.demo;

import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.train.TrainingReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a demo run produced (written as {@code report.json} in the output folder and summarised on
 * stdout). A stage that could not run has status {@code unavailable} and says why; its numbers are
 * null, never invented.
 */
public record DemoReport(String size, String out, long seed, String broker, double wallSeconds,
    Recordings recordings, Teleop teleop, TeleopLatency latency, Training training, Evaluation evaluation,
    Deployment deployment, List<String> foxglove) {

  public static final String OK = "ok";
  public static final String UNAVAILABLE = "unavailable";
  public static final String SKIPPED = "skipped";

  /** The recorded demonstrations; {@code successRate} = episodes marked successful / episodes. */
  public record Recordings(String dir, int episodes, int successful, double successRate, boolean valid,
      long validationProblems) {}

  /** The scripted operator's side: frames sent and the episodes it ran and judged successful. */
  public record Teleop(long frames, double rateHz, int episodes, int successes) {}

  public record Training(String status, String reason, String run, TrainingReport report) {}

  public record Evaluation(String status, String reason, Integer episodes, Integer successes, Double successRate,
      Integer safetyInterventions, Double policyStepMsP50) {}

  public record Deployment(String status, String reason, String dir, Integer attempts, Integer successes,
      Long policySteps, Long commands, String finalMode) {}

  /** The report as a few lines for people. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "optimus demo (%s run%s) finished in %.0f s%n", size,
        size.equals("default") ? "" : ": smaller than the default, figures are indicative only", wallSeconds));
    if (recordings != null) {
      b.append(String.format(Locale.ROOT, "  recordings     %s (%d MCAP episodes, %s)%n", recordings.dir(),
          recordings.episodes(), recordings.valid() ? "all valid" : recordings.validationProblems() + " problems"));
      b.append(String.format(Locale.ROOT, "  demonstrations %d/%d successful (%.0f%%)%n", recordings.successful(),
          recordings.episodes(), 100 * recordings.successRate()));
    }
    if (latency != null) {
      b.append(String.format(Locale.ROOT,
          "  teleop latency operator capture -> command applied: p50 %.1f ms, p99 %.1f ms (%d frames; -> state"
              + " published p50 %.1f ms, p99 %.1f ms)%n",
          latency.appliedP50Ms(), latency.appliedP99Ms(), latency.samples(), latency.publishedP50Ms(),
          latency.publishedP99Ms()));
    }
    if (training.status().equals(OK)) {
      b.append("  model          ").append(training.run()).append(String.format(Locale.ROOT, " (%d steps, %s)%n",
          training.report().steps(), heldOut(training.report())));
    } else {
      b.append("  model          ").append(training.status().toUpperCase(Locale.ROOT)).append(": ")
          .append(training.reason()).append('\n');
    }
    if (evaluation.status().equals(OK)) {
      b.append(String.format(Locale.ROOT, "  policy         %d/%d successful in closed-loop evaluation (%.0f%%),"
              + " %d safety interventions%n", evaluation.successes(), evaluation.episodes(),
          100 * evaluation.successRate(), evaluation.safetyInterventions()));
    } else {
      b.append("  policy eval    ").append(evaluation.status().toUpperCase(Locale.ROOT)).append(": ")
          .append(evaluation.reason()).append('\n');
    }
    if (deployment.status().equals(OK)) {
      b.append(String.format(Locale.ROOT, "  deployment     %d/%d attempts successful on the live bridge, %d commands;"
              + " recorded in %s%n", deployment.successes(), deployment.attempts(), deployment.commands(),
          deployment.dir()));
    } else {
      b.append("  deployment     ").append(deployment.status().toUpperCase(Locale.ROOT)).append(": ")
          .append(deployment.reason()).append('\n');
    }
    b.append("  report         ").append(out).append("/report.json\n");
    b.append("  Foxglove:\n");
    for (String line : foxglove) {
      b.append("    ").append(line).append('\n');
    }
    return b.toString();
  }

  /** The held-out action error next to the mean-action baseline, or why there is none. */
  static String heldOut(TrainingReport t) {
    if (t.heldOut() == null || t.validationEpisodes() == 0 || !Double.isFinite(t.heldOut().overall())) {
      return "no held-out episode to measure the action error on";
    }
    return String.format(Locale.ROOT, "held-out action error %.4f rad vs mean-action baseline %.4f",
        t.heldOut().overall(), t.heldOut().baselineOverall());
  }

  /** The shipped Foxglove layout, as the repository holds it (absolute when run from the checkout). */
  static final String LAYOUT = "docs/foxglove/optimus-layout.json";

  static List<String> foxgloveHints(String recordingsDir) {
    java.nio.file.Path layout = java.nio.file.Path.of(LAYOUT);
    String where = java.nio.file.Files.isRegularFile(layout) ? layout.toAbsolutePath().toString() : LAYOUT;
    return List.of(
        "open " + recordingsDir + "/*.mcap in Foxglove (Open local file) with the layout " + where
            + " (Layouts > Import from file): the robot in 3D, cameras, joints, latency, safety",
        "topics: /tf and /scene/* (the 3D scene), /state (JointState: q commanded and measured, stage timestamps),",
        "  /latency, /operator and /operator/* (poses), /camera/{head,left_wrist,right_wrist}/{image,calibration},",
        "  /task, /safety, /safety/event, /annotation",
        "check them here: ./optimus dataset info " + recordingsDir + "  and  ./optimus dataset validate " + recordingsDir);
  }

  static final class Builder {
    private final DemoOptions o;
    private String broker;
    private double wall;
    private Recordings recordings;
    private Teleop teleop;
    private TeleopLatency latency;
    private Training training = new Training(SKIPPED, "not reached", null, null);
    private Evaluation evaluation = new Evaluation(SKIPPED, "not reached", null, null, null, null, null);
    private Deployment deployment = new Deployment(SKIPPED, "not reached", null, null, null, null, null, null);

    Builder(DemoOptions o) {
      this.o = o;
    }

    void broker(String url) {
      broker = url;
    }

    void wallSeconds(double s) {
      wall = s;
    }

    void teleop(long frames, double rateHz, int episodes, int successes) {
      teleop = new Teleop(frames, rateHz, episodes, successes);
    }

    void recordings(java.nio.file.Path dir, int episodes, int successful, boolean valid, long problems,
        TeleopLatency l) {
      recordings = new Recordings(dir.toString(), episodes, successful,
          episodes == 0 ? 0 : successful / (double) episodes, valid, problems);
      latency = l;
    }

    void training(java.nio.file.Path run, TrainingReport r) {
      training = new Training(OK, null, run.toString(), r);
    }

    void trainingFailed(String why) {
      training = new Training(UNAVAILABLE, why, null, null);
    }

    void evaluation(PolicyEvaluator.Report r) {
      evaluation = new Evaluation(OK, null, r.episodes(), r.successes(), r.successRate(), r.safetyInterventions(),
          r.inference() == null ? null : r.inference().policyStepMsP50());
    }

    void evaluationFailed(String why) {
      evaluation = new Evaluation(UNAVAILABLE, why, null, null, null, null, null);
    }

    void evaluationSkipped(String why) {
      evaluation = new Evaluation(SKIPPED, why, null, null, null, null, null);
    }

    void deployment(java.nio.file.Path dir, int attempts, int successes, long steps, long commands, String mode) {
      deployment = new Deployment(OK, null, dir.toString(), attempts, successes, steps, commands, mode);
    }

    void deploymentFailed(String why) {
      deployment = new Deployment(UNAVAILABLE, why, null, null, null, null, null, null);
    }

    void deploymentSkipped(String why) {
      deployment = new Deployment(SKIPPED, why, null, null, null, null, null, null);
    }

    DemoReport build() {
      String dir = recordings == null ? o.recordings().toString() : recordings.dir();
      return new DemoReport(o.size(), o.out().toString(), o.seed(), broker, wall, recordings, teleop, latency,
          training, evaluation, deployment, new ArrayList<>(foxgloveHints(dir)));
    }
  }
}
