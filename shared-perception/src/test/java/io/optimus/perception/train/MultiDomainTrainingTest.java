package io.optimus.perception.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.report.Curves;
import io.optimus.perception.scene.Domain;
import io.optimus.perception.scene.RobotView;
import io.optimus.perception.scene.TabletopViews;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One trunk trained on both domains at once; the robot heads evaluated against their trivial baselines. */
class MultiDomainTrainingTest {
  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void bothDomainsTrainTogetherAndTheRobotHeadsBeatTheirBaselinesWhichAreExact() {
    TrainOptions options = new TrainOptions(48, 3, 16, 64, 3e-3f, 6L, false);
    Path out = tmp.resolve("shared");
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 6)) {
      HydraTrainingReport r = new HydraTrainer(options, TrainingProgress.NONE, EnumSet.allOf(Domain.class),
          new TabletopViews()).train(model, out);
      assertEquals(List.of("vehicle", "robot"), r.domains());
      assertEquals(0.6, r.meanRobotTrainingDepth(), 0.25, "robot frames are near");
      Curves curves = Curves.read(out.resolve(HydraRunReport.CURVES));
      assertEquals(3 * 6, curves.get("total", "train").y().length, "96 images / batch 16 x 3 epochs");
      for (String head : List.of("seg", "depth", "heatmap", "robotSeg", "robotDepth", "robotCentre")) {
        double[] v = curves.get(head, "validation").y();
        assertTrue(v[v.length - 1] < v[0], head + " validation loss fell: " + v[0] + " -> " + v[v.length - 1]);
      }

      List<RobotView> heldOut = new TabletopViews().views(12, 64, 999);
      Map<String, Object> eval = HydraEvaluator.evaluateRobot(model, heldOut, r.meanRobotTrainingDepth());
      // the baselines, recomputed here from the labels alone
      long pixels = 0;
      long background = 0;
      double absRel = 0;
      long depthPixels = 0;
      int centres = 0;
      for (RobotView v : heldOut) {
        centres += v.centres().size();
        for (int i = 0; i < v.segmentation().length; i++) {
          pixels++;
          background += v.segmentation()[i] == RobotView.BACKGROUND ? 1 : 0;
          if (v.depth()[i] > 0) {
            absRel += Math.abs(r.meanRobotTrainingDepth() - v.depth()[i]) / v.depth()[i];
            depthPixels++;
          }
        }
      }
      Map<String, Object> seg = (Map<String, Object>) eval.get("segmentation");
      Map<String, Object> base = (Map<String, Object>) seg.get("baselineMajorityClass");
      assertEquals("background", base.get("class"));
      assertEquals((double) background / pixels / 3, (double) base.get("mIoU"), 1e-9, "majority class: IoU of"
          + " background = its share, 0 for the others");
      Map<String, Object> det = (Map<String, Object>) eval.get("objectCentres");
      Map<String, Object> none = (Map<String, Object>) det.get("baselineNoDetections");
      assertEquals(0.0, (double) none.get("f1"));
      assertEquals((long) centres, (long) none.get("falseNegatives"));
      Map<String, Object> dep = (Map<String, Object>) eval.get("depth");
      assertEquals(absRel / depthPixels, (double) ((Map<String, Object>) dep.get("baselineMeanDepth")).get("absRel"),
          1e-9);
      Map<String, Boolean> beats = HydraEvaluator.beatsBaselines(eval);
      System.out.println("robot heads after 3 tiny epochs: " + eval + " beats " + beats);
      double modelMIoU = (double) ((Map<String, Object>) seg.get("model")).get("mIoU");
      assertEquals(modelMIoU > (double) base.get("mIoU"), beats.get("mIoU"), "strictly better, or not beating it");
      assertTrue(beats.get("depthAbsRel"), "depth beats the mean depth after 18 steps");
    }
  }

  /** Long enough for the segmentation head to find the objects and the hand (about 2 minutes on 2 cores). */
  @Test
  @Tag("long")
  @SuppressWarnings("unchecked")
  void robotHeadsTrainedLongerBeatTheMajorityClassAndTheMeanDepth() {
    TrainOptions options = new TrainOptions(128, 6, 16, 64, 3e-3f, 7L, false);
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 7)) {
      HydraTrainingReport r = new HydraTrainer(options, TrainingProgress.NONE, EnumSet.of(Domain.ROBOT),
          new TabletopViews()).train(model, null);
      assertEquals(List.of("robot"), r.domains());
      Map<String, Object> eval = HydraEvaluator.evaluateRobot(model, new TabletopViews().views(16, 64, 999),
          r.meanRobotTrainingDepth());
      Map<String, Boolean> beats = HydraEvaluator.beatsBaselines(eval);
      System.out.println("robot heads, 48 steps: " + eval + " beats " + beats);
      assertTrue(beats.get("mIoU"), "segmentation beats the majority class");
      assertTrue(beats.get("depthAbsRel"), "depth beats the mean depth");
    }
  }
}
