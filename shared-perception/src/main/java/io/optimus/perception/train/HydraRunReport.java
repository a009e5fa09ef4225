package io.optimus.perception.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.optimus.common.Json;
import io.optimus.perception.net.HydraHeads;
import io.optimus.perception.net.HydraNet;
import io.optimus.perception.report.Curve;
import io.optimus.perception.report.Curves;
import io.optimus.perception.report.FrameSheet;
import io.optimus.perception.report.HtmlPage;
import io.optimus.perception.report.LinePlot;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.VehicleBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The static report of a {@code perception train} run, in its directory: {@code report.html} with
 * the loss per head and split ({@code loss.png}, numbers in {@code curves.json}), the per-epoch
 * table, and sample validation frames with predicted against labelled vehicle centres
 * ({@code frames.png}, points in {@code frames.json}).
 */
public final class HydraRunReport {
  public static final String REPORT = "report.html";
  public static final String LOSS_PNG = "loss.png";
  public static final String CURVES = "curves.json";
  public static final String FRAMES_PNG = "frames.png";
  public static final String FRAMES = "frames.json";
  /** Validation scenes drawn in {@link #FRAMES_PNG}. */
  public static final int SAMPLE_FRAMES = 4;

  private HydraRunReport() {}

  /** The report of a finished run. */
  public static void write(Path out, HydraTrainingReport r, Curves curves, HydraModel model,
      List<DrivingScene> validation) {
    try {
      HtmlPage page = start(out, r.options(), curves);
      List<List<String>> rows = new ArrayList<>();
      for (EpochStats e : r.epochs()) {
        rows.add(List.of(Integer.toString(e.epoch()), HtmlPage.num(e.trainLoss()), HtmlPage.num(e.heldOutLoss()),
            HtmlPage.num(e.heldOutSeg()), HtmlPage.num(e.heldOutDepth()), HtmlPage.num(e.heldOutHeatmap()),
            HtmlPage.num(e.heldOutSize()), HtmlPage.num(e.heldOutRobotSeg()), HtmlPage.num(e.heldOutRobotDepth()),
            HtmlPage.num(e.heldOutRobotCentre()), HtmlPage.num(e.imagesPerSecond())));
      }
      page.section("Per epoch").table(List.of("epoch", "train total", "validation total", "validation seg",
          "validation depth", "validation heatmap", "validation size", "validation robotSeg", "validation robotDepth",
          "validation robotCentre", "images/s"), rows);
      page.paragraph("Domains trained: " + String.join(", ", r.domains()) + " (a domain not trained shows 0 for its"
          + " heads).");
      page.paragraph("Validation loss before training: " + HtmlPage.num(r.initialHeldOutLoss()) + "; training took "
          + HtmlPage.num(r.trainingSeconds()) + " s (" + HtmlPage.num(r.trainingCpuSeconds()) + " s CPU).");
      List<DrivingScene> sample = validation.subList(0, Math.min(SAMPLE_FRAMES, validation.size()));
      page.section("Vehicle centres on validation frames");
      if (sample.isEmpty()) {
        page.paragraph("No validation scenes: nothing to draw.");
      } else {
        writeFrames(out, model, sample);
        page.image(FRAMES_PNG, "validation frames with predicted and labelled vehicle centres")
            .paragraph("Green circles: labelled vehicle centres; red crosses: heatmap peaks (sigmoid >= "
                + HydraEvaluator.PEAK_THRESHOLD + ") decoded as centres. The segmentation and depth heads predict"
                + " dense maps, not points.")
            .links(List.of(FRAMES));
      }
      page.links(List.of("training.json", CURVES)).write(out.resolve(REPORT));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training report in " + out, e);
    }
  }

  /** The report of a run that stopped on a non-finite loss: the curves up to that step and why. */
  public static void writeDiverged(Path out, TrainOptions options, Curves curves, String why) {
    try {
      Files.createDirectories(out);
      start(out, options, curves).section("Stopped").paragraph(why).links(List.of(CURVES))
          .write(out.resolve(REPORT));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training report in " + out, e);
    }
  }

  private static HtmlPage start(Path out, TrainOptions o, Curves curves) throws IOException {
    curves.write(out.resolve(CURVES));
    String title = out.getFileName() + ": HydraNet training";
    LinePlot.write(out.resolve(LOSS_PNG), title + ", loss per head and split", curves);
    HtmlPage page = new HtmlPage(title);
    page.section("Run").table(null, List.of(
        List.of("scenes (train)", Integer.toString(o.images())),
        List.of("epochs / batch", o.epochs() + " / " + o.batchSize()),
        List.of("image size", o.imageSize() + " x " + o.imageSize()),
        List.of("learning rate", HtmlPage.num(o.learningRate())),
        List.of("seed", Long.toString(o.seed())),
        List.of("backbone", o.freezeBackbone() ? "frozen" : "trained")));
    page.section("Loss per head and split").image(LOSS_PNG, "loss per head and split")
        .paragraph("Heads: " + String.join(", ", HydraHeads.NAMES) + "; total = seg + depth + heatmap + "
            + HydraLoss.SIZE_WEIGHT + " size + robotSeg + robotDepth + robotCentre, each head on its domain's"
            + " images only. Train: per step (batch); validation: at step 0 and after each epoch.");
    List<List<String>> last = new ArrayList<>();
    for (Curve c : curves.curves()) {
      double[] y = c.y();
      last.add(List.of(c.head(), c.split(), Integer.toString(y.length), y.length == 0 ? "" : HtmlPage.num(y[0]),
          y.length == 0 ? "" : HtmlPage.num(y[y.length - 1])));
    }
    return page.table(List.of("head", "split", "points", "first", "last"), last);
  }

  private static void writeFrames(Path out, HydraModel model, List<DrivingScene> scenes) throws IOException {
    List<FrameSheet.Frame> frames = new ArrayList<>();
    List<Map<String, Object>> points = new ArrayList<>();
    TrainingBatch tb = TrainingBatch.of(scenes);
    try (NDManager m = model.newBatchManager()) {
      NDList pred = model.predict(tb.images(m));
      float[] heat = pred.get(HydraNet.OUT_HEATMAP).toFloatArray();
      float[] size = pred.get(HydraNet.OUT_SIZE).toFloatArray();
      for (int b = 0; b < scenes.size(); b++) {
        DrivingScene s = scenes.get(b);
        List<double[]> labels = new ArrayList<>();
        for (VehicleBox v : s.vehicles()) {
          labels.add(new double[] {v.centerX(), v.centerY()});
        }
        List<double[]> predicted = new ArrayList<>();
        for (double[] d : HydraEvaluator.peaks(s, b, heat, size)) {
          predicted.add(new double[] {d[0], d[1], d[2]});
        }
        frames.add(new FrameSheet.Frame("validation scene " + b, s.width(), s.height(), s.rgb(), labels, predicted));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("scene", b);
        p.put("labelledCentres", labels);
        p.put("predictedCentres", predicted);
        points.add(p);
      }
    }
    FrameSheet.write(out.resolve(FRAMES_PNG), frames, Math.max(1, 288 / Math.max(1, scenes.get(0).width())));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("units", "pixels of the frame (x right, y down); predictedCentres are [x, y, score]");
    doc.put("peakThreshold", HydraEvaluator.PEAK_THRESHOLD);
    doc.put("frames", points);
    Files.writeString(out.resolve(FRAMES), Json.write(doc));
  }
}
