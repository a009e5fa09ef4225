package io.optimus.perception.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.optimus.perception.net.HydraNet;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.SceneGenerator;
import io.optimus.perception.scene.SegClass;
import io.optimus.perception.scene.VehicleBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-head metrics on held-out scenes (their own seed, never used for training), next to trivial
 * baselines. All metrics are computed at full image resolution against the exact labels: the
 * stride-2 segmentation and depth predictions are upsampled nearest-neighbour.
 * <ul>
 *   <li>segmentation: IoU per class and mIoU over background/road/lane; baseline all-background</li>
 *   <li>object centres: heatmap peaks (3x3 local maxima, sigmoid &ge; {@value #PEAK_THRESHOLD})
 *       matched greedily by score to labelled centres within max(4 px, 0.3 min(w, h)); precision,
 *       recall, F1, and the mean relative box-size error of matches; baseline no detections</li>
 *   <li>depth: abs-rel = mean |d - d*| / d*, RMSE and delta &lt; 1.25 over labelled pixels; baseline
 *       the mean training depth everywhere</li>
 * </ul>
 */
public final class HydraEvaluator {
  public static final long HELD_OUT_SEED = 0x5EED0E7A1L;
  public static final double PEAK_THRESHOLD = 0.3;
  private static final int BATCH = 32;

  private HydraEvaluator() {}

  /** Evaluates on {@code count} held-out scenes of side {@code imageSize}. */
  public static Map<String, Object> evaluate(HydraModel model, int count, int imageSize, double baselineDepth) {
    SceneGenerator gen = new SceneGenerator(imageSize, imageSize, HELD_OUT_SEED);
    Confusion seg = new Confusion();
    Confusion segBaseline = new Confusion();
    Detections det = new Detections();
    DepthError depth = new DepthError();
    DepthError depthBaseline = new DepthError();
    for (int start = 0; start < count; start += BATCH) {
      List<DrivingScene> scenes = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + BATCH); i++) {
        scenes.add(gen.scene(i));
      }
      TrainingBatch tb = TrainingBatch.of(scenes);
      try (NDManager m = model.newBatchManager()) {
        NDList out = model.predict(tb.images(m));
        float[] segLogits = out.get(HydraNet.OUT_SEG).toFloatArray();
        float[] logDepth = out.get(HydraNet.OUT_DEPTH).toFloatArray();
        float[] heat = out.get(HydraNet.OUT_HEATMAP).toFloatArray();
        float[] size = out.get(HydraNet.OUT_SIZE).toFloatArray();
        for (int b = 0; b < scenes.size(); b++) {
          DrivingScene s = scenes.get(b);
          scoreDense(s, b, segLogits, logDepth, seg, segBaseline, depth, depthBaseline, baselineDepth);
          det.add(s, peaks(s, b, heat, size));
        }
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenes", count);
    report.put("imageSize", imageSize + "x" + imageSize);
    report.put("heldOutSeed", HELD_OUT_SEED);
    Map<String, Object> segmentation = new LinkedHashMap<>();
    segmentation.put("model", seg.summary());
    segmentation.put("baselineAllBackground", segBaseline.summary());
    report.put("segmentation", segmentation);
    Map<String, Object> centres = new LinkedHashMap<>();
    centres.put("model", det.summary());
    Detections none = new Detections();
    none.fn = det.tp + det.fn;
    centres.put("baselineNoDetections", none.summary());
    centres.put("peakThreshold", PEAK_THRESHOLD);
    centres.put("matchTolerance", "max(4 px, 0.3 * min(box w, box h))");
    report.put("objectCentres", centres);
    Map<String, Object> depths = new LinkedHashMap<>();
    depths.put("model", depth.summary());
    Map<String, Object> base = depthBaseline.summary();
    base.put("constantMetres", baselineDepth);
    depths.put("baselineMeanDepth", base);
    report.put("depth", depths);
    return report;
  }

  private static void scoreDense(DrivingScene s, int b, float[] segLogits, float[] logDepth, Confusion seg,
      Confusion segBaseline, DepthError depth, DepthError depthBaseline, double baselineDepth) {
    int w = s.width();
    int h = s.height();
    int w2 = w / TrainingBatch.SEG_STRIDE;
    int cells = w2 * (h / TrainingBatch.SEG_STRIDE);
    for (int v = 0; v < h; v++) {
      for (int u = 0; u < w; u++) {
        int cell = (v / 2) * w2 + u / 2;
        int best = 0;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < SegClass.COUNT; c++) {
          float logit = segLogits[(b * SegClass.COUNT + c) * cells + cell];
          if (logit > bestLogit) {
            bestLogit = logit;
            best = c;
          }
        }
        int i = v * w + u;
        int truth = s.segmentation()[i];
        seg.add(truth, best);
        segBaseline.add(truth, SegClass.BACKGROUND);
        float d = s.depth()[i];
        if (d > 0) {
          depth.add(Math.exp(logDepth[b * cells + cell]), d);
          depthBaseline.add(baselineDepth, d);
        }
      }
    }
  }

  /** Decoded detections: centre x, y (pixels), score, width, height (pixels). */
  static List<double[]> peaks(DrivingScene s, int b, float[] heat, float[] size) {
    int stride = TrainingBatch.HEATMAP_STRIDE;
    int w4 = s.width() / stride;
    int h4 = s.height() / stride;
    int cells = w4 * h4;
    List<double[]> found = new ArrayList<>();
    for (int y = 0; y < h4; y++) {
      for (int x = 0; x < w4; x++) {
        double p = sigmoid(heat[b * cells + y * w4 + x]);
        if (p < PEAK_THRESHOLD) {
          continue;
        }
        boolean isMax = true;
        for (int dy = -1; dy <= 1 && isMax; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = y + dy;
            int xx = x + dx;
            if ((dx != 0 || dy != 0) && yy >= 0 && yy < h4 && xx >= 0 && xx < w4) {
              double q = sigmoid(heat[b * cells + yy * w4 + xx]);
              // Ties go to the first cell in raster order, so a plateau yields one peak.
              if (q > p || (q == p && (dy < 0 || (dy == 0 && dx < 0)))) {
                isMax = false;
                break;
              }
            }
          }
        }
        if (isMax) {
          int cell = y * w4 + x;
          found.add(new double[] {(x + 0.5) * stride, (y + 0.5) * stride, p,
              size[(b * 2) * cells + cell] * stride, size[(b * 2 + 1) * cells + cell] * stride});
        }
      }
    }
    found.sort((a, c) -> Double.compare(c[2], a[2]));
    return found;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Pixel confusion matrix over the segmentation classes. */
  static final class Confusion {
    final long[][] m = new long[SegClass.COUNT][SegClass.COUNT];

    void add(int truth, int predicted) {
      m[truth][predicted]++;
    }

    double iou(int c) {
      long tp = m[c][c];
      long fp = 0;
      long fn = 0;
      for (int k = 0; k < SegClass.COUNT; k++) {
        if (k != c) {
          fp += m[k][c];
          fn += m[c][k];
        }
      }
      long union = tp + fp + fn;
      return union == 0 ? 1.0 : (double) tp / union;
    }

    Map<String, Object> summary() {
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Object> ious = new LinkedHashMap<>();
      double sum = 0;
      long correct = 0;
      long total = 0;
      for (int c = 0; c < SegClass.COUNT; c++) {
        double iou = iou(c);
        ious.put(SegClass.NAMES[c], iou);
        sum += iou;
        correct += m[c][c];
        for (int k = 0; k < SegClass.COUNT; k++) {
          total += m[c][k];
        }
      }
      out.put("laneMIoU", sum / SegClass.COUNT);
      out.put("iou", ious);
      out.put("pixelAccuracy", total == 0 ? 0 : (double) correct / total);
      return out;
    }
  }

  /** Greedy centre matching and counts. */
  static final class Detections {
    long tp;
    long fp;
    long fn;
    double sizeErrorSum;

    void add(DrivingScene s, List<double[]> detections) {
      List<VehicleBox> truth = s.vehicles();
      boolean[] used = new boolean[truth.size()];
      for (double[] d : detections) {
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int k = 0; k < truth.size(); k++) {
          VehicleBox t = truth.get(k);
          double dist = Math.hypot(d[0] - t.centerX(), d[1] - t.centerY());
          double tol = Math.max(4, 0.3 * Math.min(t.width(), t.height()));
          if (!used[k] && dist <= tol && dist < bestDist) {
            best = k;
            bestDist = dist;
          }
        }
        if (best < 0) {
          fp++;
        } else {
          used[best] = true;
          tp++;
          VehicleBox t = truth.get(best);
          sizeErrorSum += (Math.abs(d[3] - t.width()) / t.width() + Math.abs(d[4] - t.height()) / t.height()) / 2;
        }
      }
      for (boolean u : used) {
        if (!u) {
          fn++;
        }
      }
    }

    Map<String, Object> summary() {
      double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
      double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
      out.put("precision", precision);
      out.put("recall", recall);
      out.put("truePositives", tp);
      out.put("falsePositives", fp);
      out.put("falseNegatives", fn);
      out.put("meanBoxSizeRelError", tp == 0 ? null : sizeErrorSum / tp);
      return out;
    }
  }

  /** Depth error accumulators. */
  static final class DepthError {
    double absRel;
    double squared;
    long within125;
    long n;

    void add(double predicted, double truth) {
      absRel += Math.abs(predicted - truth) / truth;
      squared += (predicted - truth) * (predicted - truth);
      if (Math.max(predicted / truth, truth / predicted) < 1.25) {
        within125++;
      }
      n++;
    }

    Map<String, Object> summary() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("absRel", n == 0 ? 0 : absRel / n);
      out.put("rmseMetres", n == 0 ? 0 : Math.sqrt(squared / n));
      out.put("delta125", n == 0 ? 0 : (double) within125 / n);
      out.put("pixels", n);
      return out;
    }
  }
}
