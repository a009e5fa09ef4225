package io.optimus.perception.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.optimus.perception.net.HydraNet;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.RobotView;
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
    Confusion seg = new Confusion(SegClass.NAMES);
    Confusion segBaseline = new Confusion(SegClass.NAMES);
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

  /**
   * The robot heads on held-out robot frames: segmentation IoU per class (background, object, hand)
   * and mIoU next to predicting the eval set's majority class everywhere; object centres (peaks
   * matched within max(4 px, the object's apparent radius)) next to no detections; depth abs-rel
   * next to {@code baselineDepth} everywhere.
   */
  public static Map<String, Object> evaluateRobot(HydraModel model, List<RobotView> views, double baselineDepth) {
    long[] classPixels = new long[RobotView.CLASSES];
    for (RobotView v : views) {
      for (byte c : v.segmentation()) {
        classPixels[c]++;
      }
    }
    int majority = 0;
    for (int c = 1; c < RobotView.CLASSES; c++) {
      majority = classPixels[c] > classPixels[majority] ? c : majority;
    }
    String[] names = RobotView.CLASS_NAMES.toArray(String[]::new);
    Confusion seg = new Confusion(names);
    Confusion segBaseline = new Confusion(names);
    Detections det = new Detections();
    det.withSize = false;
    DepthError depth = new DepthError();
    DepthError depthBaseline = new DepthError();
    for (int start = 0; start < views.size(); start += BATCH) {
      List<RobotView> part = views.subList(start, Math.min(views.size(), start + BATCH));
      TrainingBatch tb = TrainingBatch.of(part);
      try (NDManager m = model.newBatchManager()) {
        NDList out = model.predict(tb.images(m));
        float[] segLogits = out.get(HydraNet.OUT_ROBOT_SEG).toFloatArray();
        float[] logDepth = out.get(HydraNet.OUT_ROBOT_DEPTH).toFloatArray();
        float[] heat = out.get(HydraNet.OUT_ROBOT_CENTRE).toFloatArray();
        for (int b = 0; b < part.size(); b++) {
          RobotView v = part.get(b);
          int w = v.width();
          int w2 = w / TrainingBatch.SEG_STRIDE;
          int cells = w2 * (v.height() / TrainingBatch.SEG_STRIDE);
          for (int y = 0; y < v.height(); y++) {
            for (int x = 0; x < w; x++) {
              int cell = (y / 2) * w2 + x / 2;
              int best = 0;
              for (int c = 1; c < RobotView.CLASSES; c++) {
                if (segLogits[(b * RobotView.CLASSES + c) * cells + cell]
                    > segLogits[(b * RobotView.CLASSES + best) * cells + cell]) {
                  best = c;
                }
              }
              int i = y * w + x;
              seg.add(v.segmentation()[i], best);
              segBaseline.add(v.segmentation()[i], majority);
              float d = v.depth()[i];
              if (d > 0) {
                depth.add(Math.exp(logDepth[b * cells + cell]), d);
                depthBaseline.add(baselineDepth, d);
              }
            }
          }
          List<double[]> truth = new ArrayList<>();
          for (RobotView.Centre c : v.centres()) {
            truth.add(new double[] {c.u(), c.v(), Math.max(4, c.radius())});
          }
          det.match(truth, peaks(w, v.height(), b, heat, null));
        }
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("frames", views.size());
    Map<String, Object> segmentation = new LinkedHashMap<>();
    segmentation.put("model", seg.summary());
    Map<String, Object> base = segBaseline.summary();
    base.put("class", names[majority]);
    segmentation.put("baselineMajorityClass", base);
    report.put("segmentation", segmentation);
    Map<String, Object> centres = new LinkedHashMap<>();
    centres.put("model", det.summary());
    Detections none = new Detections();
    none.withSize = false;
    none.fn = det.tp + det.fn;
    centres.put("baselineNoDetections", none.summary());
    centres.put("peakThreshold", PEAK_THRESHOLD);
    centres.put("matchTolerance", "max(4 px, the object's apparent radius)");
    report.put("objectCentres", centres);
    Map<String, Object> depths = new LinkedHashMap<>();
    depths.put("model", depth.summary());
    Map<String, Object> db = depthBaseline.summary();
    db.put("constantMetres", baselineDepth);
    depths.put("baselineMeanDepth", db);
    report.put("depth", depths);
    return report;
  }

  /**
   * For each head of a report of {@link #evaluate} or {@link #evaluateRobot}: whether the model beats
   * its trivial baseline (segmentation mIoU higher, centre F1 higher, depth abs-rel lower).
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Boolean> beatsBaselines(Map<String, Object> r) {
    Map<String, Object> seg = (Map<String, Object>) r.get("segmentation");
    String segBase = seg.containsKey("baselineMajorityClass") ? "baselineMajorityClass" : "baselineAllBackground";
    String miou = seg.containsKey("baselineMajorityClass") ? "mIoU" : "laneMIoU";
    Map<String, Object> det = (Map<String, Object>) r.get("objectCentres");
    Map<String, Object> dep = (Map<String, Object>) r.get("depth");
    Map<String, Boolean> v = new LinkedHashMap<>();
    v.put(miou, num(seg, "model", miou) > num(seg, segBase, miou));
    v.put("objectCentreF1", num(det, "model", "f1") > num(det, "baselineNoDetections", "f1"));
    v.put("depthAbsRel", num(dep, "model", "absRel") < num(dep, "baselineMeanDepth", "absRel"));
    return v;
  }

  @SuppressWarnings("unchecked")
  private static double num(Map<String, Object> head, String who, String key) {
    return ((Number) ((Map<String, Object>) head.get(who)).get(key)).doubleValue();
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
    return peaks(s.width(), s.height(), b, heat, size);
  }

  /** Decoded detections of image {@code b} of a stride-4 heatmap; width/height 0 without a size map. */
  static List<double[]> peaks(int width, int height, int b, float[] heat, float[] size) {
    int stride = TrainingBatch.HEATMAP_STRIDE;
    int w4 = width / stride;
    int h4 = height / stride;
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
              size == null ? 0 : size[(b * 2) * cells + cell] * stride,
              size == null ? 0 : size[(b * 2 + 1) * cells + cell] * stride});
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
    final String[] names;
    final long[][] m;

    Confusion(String[] names) {
      this.names = names;
      this.m = new long[names.length][names.length];
    }

    void add(int truth, int predicted) {
      m[truth][predicted]++;
    }

    double iou(int c) {
      long tp = m[c][c];
      long fp = 0;
      long fn = 0;
      for (int k = 0; k < names.length; k++) {
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
      for (int c = 0; c < names.length; c++) {
        double iou = iou(c);
        ious.put(names[c], iou);
        sum += iou;
        correct += m[c][c];
        for (int k = 0; k < names.length; k++) {
          total += m[c][k];
        }
      }
      out.put(names == SegClass.NAMES ? "laneMIoU" : "mIoU", sum / names.length);
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
    boolean withSize = true;

    void add(DrivingScene s, List<double[]> detections) {
      List<VehicleBox> truth = s.vehicles();
      List<double[]> centres = new ArrayList<>();
      for (VehicleBox t : truth) {
        centres.add(new double[] {t.centerX(), t.centerY(), Math.max(4, 0.3 * Math.min(t.width(), t.height()))});
      }
      boolean[] used = match(centres, detections);
      for (int k = 0; k < used.length; k++) {
        if (used[k] && matchedDetection[k] != null) {
          VehicleBox t = truth.get(k);
          double[] d = matchedDetection[k];
          sizeErrorSum += (Math.abs(d[3] - t.width()) / t.width() + Math.abs(d[4] - t.height()) / t.height()) / 2;
        }
      }
    }

    private double[][] matchedDetection;

    /** Greedy matching of detections (by score) to centres {x, y, tolerance}; counts tp/fp/fn. */
    boolean[] match(List<double[]> truth, List<double[]> detections) {
      boolean[] used = new boolean[truth.size()];
      matchedDetection = new double[truth.size()][];
      for (double[] d : detections) {
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int k = 0; k < truth.size(); k++) {
          double[] t = truth.get(k);
          double dist = Math.hypot(d[0] - t[0], d[1] - t[1]);
          double tol = t[2];
          if (!used[k] && dist <= tol && dist < bestDist) {
            best = k;
            bestDist = dist;
          }
        }
        if (best < 0) {
          fp++;
        } else {
          used[best] = true;
          matchedDetection[best] = d;
          tp++;
        }
      }
      for (boolean u : used) {
        if (!u) {
          fn++;
        }
      }
      return used;
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
      if (withSize) {
        out.put("meanBoxSizeRelError", tp == 0 ? null : sizeErrorSum / tp);
      }
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
