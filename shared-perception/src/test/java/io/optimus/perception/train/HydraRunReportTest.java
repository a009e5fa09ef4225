package io.optimus.perception.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.report.Curve;
import io.optimus.perception.report.Curves;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.SceneGenerator;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report a real (tiny) HydraNet training run writes into its directory. */
class HydraRunReportTest {
  @TempDir
  Path tmp;

  @Test
  void aRunWritesItsReportWithOneCurvePerHeadAndSplitEqualToWhatTheTrainerLogged() throws Exception {
    TrainOptions options = new TrainOptions(16, 2, 8, 64, 3e-3f, 3L, false);
    Path out = tmp.resolve("run");
    List<Double> stepLosses = new ArrayList<>();
    List<EpochStats> epochs = new ArrayList<>();
    TrainingProgress log = new TrainingProgress() {
      @Override
      public void step(int epoch, int n, int batch, int batches, double loss, double imagesPerSecond) {
        stepLosses.add(loss);
      }

      @Override
      public void epochDone(EpochStats stats) {
        epochs.add(stats);
      }
    };
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 3)) {
      HydraTrainingReport r = new HydraTrainer(options, log).train(model, out);

      Set<String> netHeads = new LinkedHashSet<>();
      model.net().heads().getChildren().keys().forEach(k -> netHeads.add(k.replaceFirst("^\\d+", "")));
      Curves curves = Curves.read(out.resolve(HydraRunReport.CURVES));
      Set<String> plotted = new LinkedHashSet<>();
      curves.curves().forEach(c -> plotted.add(c.head()));
      assertEquals(new LinkedHashSet<>(io.optimus.perception.net.HydraHeads.NAMES), netHeads);
      Set<String> expected = new LinkedHashSet<>(List.of("total"));
      for (int h : io.optimus.perception.net.HydraHeads.VEHICLE_HEADS) {
        expected.add(io.optimus.perception.net.HydraHeads.NAMES.get(h));
      }
      assertEquals(expected, plotted, "one curve per head of the trained (vehicle) domain, and the total");
      for (String head : expected) {
        assertNotNull(curves.get(head, "train"), head);
        assertNotNull(curves.get(head, "validation"), head);
      }
      // every training step, as the trainer reported it
      double[] train = curves.get("total", "train").y();
      assertArrayEquals(stepLosses.stream().mapToDouble(Double::doubleValue).toArray(), train);
      assertEquals(4, train.length, "16 scenes / batch 8 x 2 epochs");
      // validation before training and after every epoch, per head, as the epoch stats say
      assertArrayEquals(new double[] {0, 2, 4}, curves.get("seg", "validation").x());
      assertEquals(r.initialHeldOutLoss(), curves.get("total", "validation").y()[0]);
      for (int e = 0; e < 2; e++) {
        EpochStats s = epochs.get(e);
        assertEquals(s.heldOutLoss(), curves.get("total", "validation").y()[e + 1]);
        assertEquals(s.heldOutSeg(), curves.get("seg", "validation").y()[e + 1]);
        assertEquals(s.heldOutDepth(), curves.get("depth", "validation").y()[e + 1]);
        assertEquals(s.heldOutHeatmap(), curves.get("heatmap", "validation").y()[e + 1]);
        assertEquals(s.heldOutSize(), curves.get("size", "validation").y()[e + 1]);
      }
      Curve seg = curves.get("seg", "train");
      assertTrue(Arrays.stream(seg.y()).allMatch(v -> v > 0 && v != train[0]), "the head's own loss, not the total");

      String html = Files.readString(out.resolve(HydraRunReport.REPORT));
      assertEquals(2, imagesDecoding(out, html), "loss curves and sample frames");
      assertTrue(html.contains("training.json") && html.contains(HydraRunReport.FRAMES), html);
      JsonNode frames = Json.MAPPER.readTree(out.resolve(HydraRunReport.FRAMES).toFile()).get("frames");
      assertEquals(HydraRunReport.SAMPLE_FRAMES, frames.size());
      assertTrue(frames.get(0).get("labelledCentres").size() > 0 || frames.get(1).get("labelledCentres").size() > 0,
          "validation scenes have vehicles to draw");
    }
  }

  @Test
  void aDivergedRunStillWritesItsCurvesWithTheNonFiniteStepMarked() throws Exception {
    SceneGenerator gen = new SceneGenerator(64, 64, 5);
    DrivingScene s = gen.scene(2);
    float[] depth = new float[s.depth().length];
    Arrays.fill(depth, Float.POSITIVE_INFINITY); // a broken labeller
    DrivingScene broken = new DrivingScene(s.width(), s.height(), s.rgb(), s.segmentation(), depth, s.vehicles());
    TrainOptions options = new TrainOptions(3, 1, 1, 64, 1e-3f, 5L, false);
    Path out = tmp.resolve("diverged");
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 5)) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> new HydraTrainer(options, TrainingProgress.NONE).train(model, List.of(gen.scene(0), gen.scene(1),
              broken), List.of(gen.scene(3)), 0, out));
      Curves curves = Curves.read(out.resolve(HydraRunReport.CURVES));
      double[] total = curves.get("total", "train").y();
      assertEquals(e.step(), total.length, "every step up to the one that diverged");
      assertEquals(Double.POSITIVE_INFINITY, total[total.length - 1]);
      String html = Files.readString(out.resolve(HydraRunReport.REPORT));
      assertTrue(html.contains(e.getMessage()) && html.contains("Infinity"), html);
      assertEquals(1, imagesDecoding(out, html));
      BufferedImage png = ImageIO.read(out.resolve(HydraRunReport.LOSS_PNG).toFile());
      assertTrue(hasPureRedNear(png, 50), "the non-finite step is marked with a red cross on the top edge");
    }
  }

  static int imagesDecoding(Path dir, String html) throws Exception {
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int n = 0;
    while (img.find()) {
      assertNotNull(ImageIO.read(dir.resolve(img.group(1)).toFile()), img.group(1) + " is a PNG beside the report");
      n++;
    }
    return n;
  }

  /** Pure red pixels near {@code row} left of the legend (which starts 210 px from the right edge). */
  static boolean hasPureRedNear(BufferedImage png, int row) {
    for (int y = row - 5; y <= row + 5; y++) {
      for (int x = 0; x < png.getWidth() - 215; x++) {
        if (png.getRGB(x, y) == Color.RED.getRGB()) {
          return true;
        }
      }
    }
    return false;
  }
}
