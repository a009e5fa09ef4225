package io.optimus.policy.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.report.BarPlot;
import io.optimus.perception.report.Curve;
import io.optimus.perception.report.Curves;
import io.optimus.perception.report.HtmlPage;
import io.optimus.perception.report.LinePlot;
import io.optimus.policy.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy run's static report, {@code report.html}, rebuilt from what its directory holds: the
 * trainer's {@code metrics.json} and {@code curves.json} (loss per split and joint group, drawn as
 * {@code loss.png}), the held-out action error per joint group ({@code action-errors.png}), and the
 * closed-loop evaluations ({@code evaluations.jsonl}, drawn as {@code success.png}). The trainer
 * writes it at the end of a run and every evaluation rewrites it. Opens from disk, nothing fetched.
 */
public final class RunReport {
  private RunReport() {}

  public static void write(RunFiles files) throws IOException {
    JsonNode metrics = read(files.metrics());
    JsonNode config = read(files.config());
    String kind = metrics != null ? metrics.path("kind").asText("") : "";
    JsonNode seed = config == null ? null : config.findValue("seed");
    String title = files.dir().getFileName() + (kind.isEmpty() ? ": policy" : ": " + kind + " policy")
        + (seed == null ? "" : ", seed " + seed.asText());
    HtmlPage page = new HtmlPage(title);
    page.section("Run");
    if (metrics == null) {
      page.paragraph("No metrics.json: this run was not trained here (imported, or training did not finish).");
    } else {
      page.table(null, List.of(
          List.of("run", metrics.path("run").asText()),
          List.of("policy", kind),
          List.of("steps", metrics.path("steps").asText() + (metrics.path("resumedFromStep").asInt() > 0
              ? " (resumed from " + metrics.path("resumedFromStep").asInt() + ")" : "")),
          List.of("episodes (train / validation)", metrics.path("trainEpisodes").asText() + " / "
              + metrics.path("validationEpisodes").asText()),
          List.of("training samples", metrics.path("trainSamples").asText()),
          List.of("final loss (train / validation)", num(metrics.path("finalTrainLoss")) + " / "
              + num(metrics.path("finalValidationLoss"))),
          List.of("throughput", num(metrics.path("samplesPerSecond")) + " samples/s over " + num(metrics.path("seconds"))
              + " s")));
    }
    lossSection(files, page, title);
    errorSection(files, page, metrics == null ? null : metrics.get("heldOut"));
    successSection(files, page);
    page.section("Camera frames with keypoints").paragraph("Not drawn: a run directory keeps its demonstrations'"
        + " encoded image features, not their camera frames, and the policy predicts joint positions, not image"
        + " points; drawing predicted against demonstrated hand positions over a frame needs the recordings and the"
        + " robot's camera projection, which the run does not hold.");
    List<String> data = new ArrayList<>();
    for (Path p : List.of(files.metrics(), files.curves(), files.lossCsv(), files.evaluations(), files.config())) {
      if (Files.exists(p)) {
        data.add(p.getFileName().toString());
      }
    }
    page.section("Data").links(data);
    page.write(files.report());
  }

  private static void lossSection(RunFiles files, HtmlPage page, String title) throws IOException {
    page.section("Loss per split and joint group");
    if (!Files.isRegularFile(files.curves())) {
      page.paragraph("No curves.json: no loss was logged in this run directory.");
      return;
    }
    Curves curves = Curves.read(files.curves());
    LinePlot.write(files.lossPng(), title + ": L1 loss on normalized actions", curves);
    page.image(files.lossPng().getFileName().toString(), "loss per split and joint group")
        .paragraph("total (train): the loss of every training batch; at each evaluation step, the same loss over"
            + " up to 1024 validation samples and, per joint group, over training and validation samples. A"
            + " red cross marks a step whose loss was not finite.");
    List<List<String>> rows = new ArrayList<>();
    for (Curve c : curves.curves()) {
      int n = c.y().length;
      rows.add(List.of(c.head(), c.split(), Integer.toString(n), n == 0 ? "" : HtmlPage.num(c.y()[0]),
          n == 0 ? "" : HtmlPage.num(c.y()[n - 1]) + " (step " + (long) c.x()[n - 1] + ")"));
    }
    page.table(List.of("curve", "split", "points", "first", "last"), rows);
  }

  private static void errorSection(RunFiles files, HtmlPage page, JsonNode e) throws IOException {
    page.section("Held-out action error");
    if (e == null || e.isNull() || e.path("samples").asInt() == 0) {
      page.paragraph("No held-out episodes: nothing to measure the action error on.");
      return;
    }
    List<String> groups = new ArrayList<>();
    e.path("perGroup").fieldNames().forEachRemaining(groups::add);
    double[][] v = new double[2][groups.size()];
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      v[0][i] = e.path("perGroup").path(groups.get(i)).asDouble(Double.NaN);
      v[1][i] = e.path("baselinePerGroup").path(groups.get(i)).asDouble(Double.NaN);
      rows.add(List.of(groups.get(i), HtmlPage.num(v[0][i]), HtmlPage.num(v[1][i])));
    }
    rows.add(List.of("overall (" + e.path("samples").asInt() + " samples)", num(e.path("overall")),
        num(e.path("baselineOverall"))));
    BarPlot.write(files.actionErrorsPng(), "held-out action error per joint group (rad or m): policy vs mean-action"
        + " baseline", groups, List.of("policy", "baseline"), v, Double.NaN);
    page.image(files.actionErrorsPng().getFileName().toString(), "held-out action error per joint group")
        .table(List.of("joint group", "policy", "mean-action baseline"), rows)
        .paragraph("First action of each chunk: " + num(e.path("firstStep")) + " (rad or m).");
  }

  private static void successSection(RunFiles files, HtmlPage page) throws IOException {
    page.section("Success per evaluation");
    List<RunEvaluations.Evaluation> evals = RunEvaluations.read(files);
    if (evals.isEmpty()) {
      page.paragraph("Not evaluated in closed loop yet: `optimus policy eval --run " + files.dir()
          + "` adds its success here.");
      return;
    }
    List<String> labels = new ArrayList<>();
    double[][] rate = new double[1][evals.size()];
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < evals.size(); i++) {
      RunEvaluations.Evaluation e = evals.get(i);
      labels.add(String.format(Locale.ROOT, "#%d %s %d/%d", i + 1, e.task(), e.successes(), e.episodes()));
      rate[0][i] = e.successRate();
      rows.add(List.of("#" + (i + 1), text(e.time()), text(e.task()), text(e.world()), text(e.robot()),
          Integer.toString(e.episodes()),
          Integer.toString(e.successes()), HtmlPage.num(e.successRate()), Long.toString(e.seed())));
    }
    BarPlot.write(files.successPng(), "closed-loop success rate per evaluation (successes / episodes)", labels,
        List.of("success rate"), rate, 1.0);
    page.image(files.successPng().getFileName().toString(), "success rate per evaluation")
        .table(List.of("evaluation", "finished (UTC)", "task", "world", "robot", "episodes", "successes",
            "success rate", "seed"), rows);
  }

  /** A field an older or hand-edited file may lack. */
  private static String text(String s) {
    return s == null ? "" : s;
  }

  /** A metric for the page; NaN there means "not measured". */
  private static String num(JsonNode n) {
    double v = n.isNumber() || n.isTextual() ? n.asDouble(Double.NaN) : Double.NaN;
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
  }

  private static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("policy run: unreadable " + file + ": " + e.getMessage(), e);
    }
  }
}
