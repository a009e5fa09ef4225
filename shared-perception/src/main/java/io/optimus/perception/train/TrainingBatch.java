package io.optimus.perception.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.optimus.perception.net.HydraHeads;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.LabelledImage;
import io.optimus.perception.scene.RobotView;
import io.optimus.perception.scene.SceneGenerator;
import io.optimus.perception.scene.SegClass;
import io.optimus.perception.scene.VehicleBox;
import java.util.List;

/**
 * Network inputs and per-head targets for a list of labelled images of either domain, at the heads'
 * resolutions. A sample's targets for the other domain's heads are zero and its domain mask is 0
 * there, so {@link HydraLoss} gives those heads no loss and no gradient from it.
 *
 * <p>Segmentation and depth targets are at stride 2 (each cell summarises its 2x2 pixels: lane if
 * any pixel is a marking, else the majority of road/background; the mean log depth when at least 2
 * of 4 pixels are valid).
 * The CenterNet heatmap is at stride 4: a Gaussian peak of exactly 1 at each labelled vehicle's
 * centre cell, sigma growing with box size; box size (w, h) is in stride-4 cells at peak cells.
 * Robot frames: segmentation by majority of the 2x2 pixels (ties to object, then hand), depth as
 * above, and a peak at each visible object centre (sigma from its apparent radius).
 */
public final class TrainingBatch {
  public static final int SEG_STRIDE = 2;
  public static final int HEATMAP_STRIDE = 4;
  /** Per-class cross-entropy weights: lane markings are rare and thin, so they count more. */
  static final float[] CLASS_WEIGHTS = {1f, 1f, 3f};
  /** Robot classes background, object, hand: objects are small, hands mid-sized. */
  static final float[] ROBOT_CLASS_WEIGHTS = {1f, 3f, 2f};

  final int size;
  final int height;
  final int width;
  final float[] images;
  final float[] segTarget;
  final float[] depthLog;
  final float[] depthMask;
  final float[] heatmap;
  final float[] peakMask;
  final float[] boxSize;
  final float[] robotSeg;
  final float[] robotDepthLog;
  final float[] robotDepthMask;
  final float[] robotHeat;
  final float[] robotPeaks;
  final float[] vehicleMask;
  final float[] robotMask;

  private TrainingBatch(List<? extends LabelledImage> scenes) {
    size = scenes.size();
    height = scenes.get(0).height();
    width = scenes.get(0).width();
    int plane = height * width;
    int h2 = height / SEG_STRIDE;
    int w2 = width / SEG_STRIDE;
    int h4 = height / HEATMAP_STRIDE;
    int w4 = width / HEATMAP_STRIDE;
    images = new float[size * 3 * plane];
    segTarget = new float[size * SegClass.COUNT * h2 * w2];
    depthLog = new float[size * h2 * w2];
    depthMask = new float[size * h2 * w2];
    heatmap = new float[size * h4 * w4];
    peakMask = new float[size * h4 * w4];
    boxSize = new float[size * 2 * h4 * w4];
    robotSeg = new float[size * RobotView.CLASSES * h2 * w2];
    robotDepthLog = new float[size * h2 * w2];
    robotDepthMask = new float[size * h2 * w2];
    robotHeat = new float[size * h4 * w4];
    robotPeaks = new float[size * h4 * w4];
    vehicleMask = new float[size];
    robotMask = new float[size];
    for (int b = 0; b < size; b++) {
      LabelledImage img = scenes.get(b);
      if (img.width() != width || img.height() != height) {
        throw new IllegalArgumentException("batch mixes image sizes: " + width + "x" + height + " and "
            + img.width() + "x" + img.height());
      }
      img.toChw(images, b * 3 * plane);
      switch (img) {
        case DrivingScene s -> {
          vehicleMask[b] = 1;
          fillStride2(s, b, h2, w2);
          fillHeatmap(s, b, h4, w4);
        }
        case RobotView r -> {
          robotMask[b] = 1;
          fillRobot(r, b, h2, w2, h4, w4);
        }
      }
    }
  }

  /** Targets for {@code scenes} (all the same size, sides multiples of 32; domains may mix). */
  public static TrainingBatch of(List<? extends LabelledImage> scenes) {
    if (scenes.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    return new TrainingBatch(scenes);
  }

  private void fillRobot(RobotView r, int b, int h2, int w2, int h4, int w4) {
    int cells = h2 * w2;
    int[] counts = new int[RobotView.CLASSES];
    for (int y = 0; y < h2; y++) {
      for (int x = 0; x < w2; x++) {
        double logDepth = pool2x2(r.segmentation(), r.depth(), x, y, counts);
        int best = counts[RobotView.OBJECT] >= 2 ? RobotView.OBJECT
            : counts[RobotView.HAND] >= 2 ? RobotView.HAND : RobotView.BACKGROUND;
        int cell = y * w2 + x;
        robotSeg[(b * RobotView.CLASSES + best) * cells + cell] = ROBOT_CLASS_WEIGHTS[best];
        if (!Double.isNaN(logDepth)) {
          robotDepthLog[b * cells + cell] = (float) logDepth;
          robotDepthMask[b * cells + cell] = 1f;
        }
      }
    }
    int cells4 = h4 * w4;
    for (RobotView.Centre c : r.centres()) {
      int px = Math.min(w4 - 1, Math.max(0, (int) (c.u() / HEATMAP_STRIDE)));
      int py = Math.min(h4 - 1, Math.max(0, (int) (c.v() / HEATMAP_STRIDE)));
      double sigma = Math.max(0.6, 0.5 * c.radius() / HEATMAP_STRIDE);
      splat(robotHeat, b * cells4, w4, h4, px, py, sigma);
      robotHeat[b * cells4 + py * w4 + px] = 1f;
      robotPeaks[b * cells4 + py * w4 + px] = 1f;
    }
  }

  private void fillStride2(DrivingScene s, int b, int h2, int w2) {
    int cells = h2 * w2;
    int[] counts = new int[SegClass.COUNT];
    for (int y = 0; y < h2; y++) {
      for (int x = 0; x < w2; x++) {
        double logDepth = pool2x2(s.segmentation(), s.depth(), x, y, counts);
        // Far markings are thinner than a cell: any marking pixel makes the cell a lane cell, or
        // most of them would vanish from the targets; otherwise the majority class.
        int best = counts[SegClass.LANE] > 0 ? SegClass.LANE
            : counts[SegClass.ROAD] > counts[SegClass.BACKGROUND] ? SegClass.ROAD : SegClass.BACKGROUND;
        int cell = y * w2 + x;
        segTarget[(b * SegClass.COUNT + best) * cells + cell] = CLASS_WEIGHTS[best];
        if (!Double.isNaN(logDepth)) {
          depthLog[b * cells + cell] = (float) logDepth;
          depthMask[b * cells + cell] = 1f;
        }
      }
    }
  }

  private void fillHeatmap(DrivingScene s, int b, int h4, int w4) {
    int cells = h4 * w4;
    for (VehicleBox v : s.vehicles()) {
      int px = Math.min(w4 - 1, (int) (v.centerX() / HEATMAP_STRIDE));
      int py = Math.min(h4 - 1, (int) (v.centerY() / HEATMAP_STRIDE));
      double wc = v.width() / HEATMAP_STRIDE;
      double hc = v.height() / HEATMAP_STRIDE;
      double sigma = Math.max(0.6, 0.15 * Math.sqrt(wc * hc));
      splat(heatmap, b * cells, w4, h4, px, py, sigma);
      int peak = py * w4 + px;
      heatmap[b * cells + peak] = 1f;
      peakMask[b * cells + peak] = 1f;
      boxSize[(b * 2) * cells + peak] = (float) wc;
      boxSize[(b * 2 + 1) * cells + peak] = (float) hc;
    }
  }

  /**
   * Counts the classes of the 2x2 pixels under stride-2 cell (x, y) into {@code counts} and returns the
   * mean log depth of its pixels with depth, or NaN when fewer than two have one (the cell is unlabelled).
   */
  private double pool2x2(byte[] segmentation, float[] depth, int x, int y, int[] counts) {
    java.util.Arrays.fill(counts, 0);
    double depthSum = 0;
    int valid = 0;
    for (int dy = 0; dy < 2; dy++) {
      for (int dx = 0; dx < 2; dx++) {
        int i = (2 * y + dy) * width + 2 * x + dx;
        counts[segmentation[i]]++;
        float d = depth[i];
        if (d > 0) {
          depthSum += Math.log(d);
          valid++;
        }
      }
    }
    return valid >= 2 ? depthSum / valid : Double.NaN;
  }

  /** Raises {@code heat} (one w4 x h4 map from {@code base}) to a Gaussian of {@code sigma} cells around (px, py). */
  private static void splat(float[] heat, int base, int w4, int h4, int px, int py, double sigma) {
    int rad = (int) Math.ceil(3 * sigma);
    for (int y = Math.max(0, py - rad); y <= Math.min(h4 - 1, py + rad); y++) {
      for (int x = Math.max(0, px - rad); x <= Math.min(w4 - 1, px + rad); x++) {
        double g = Math.exp(-((x - px) * (x - px) + (y - py) * (y - py)) / (2 * sigma * sigma));
        int i = base + y * w4 + x;
        heat[i] = (float) Math.max(heat[i], g);
      }
    }
  }

  /** Images [B, 3, H, W] in [0, 1]. */
  public NDArray images(NDManager manager) {
    return manager.create(images, new Shape(size, 3, height, width));
  }

  /** Targets in the order {@link HydraLoss} reads them. */
  public NDList labels(NDManager manager) {
    int h2 = height / SEG_STRIDE;
    int w2 = width / SEG_STRIDE;
    int h4 = height / HEATMAP_STRIDE;
    int w4 = width / HEATMAP_STRIDE;
    return new NDList(
        manager.create(segTarget, new Shape(size, HydraHeads.SEG_CLASSES, h2, w2)),
        manager.create(depthLog, new Shape(size, 1, h2, w2)),
        manager.create(depthMask, new Shape(size, 1, h2, w2)),
        manager.create(heatmap, new Shape(size, 1, h4, w4)),
        manager.create(peakMask, new Shape(size, 1, h4, w4)),
        manager.create(boxSize, new Shape(size, 2, h4, w4)),
        manager.create(robotSeg, new Shape(size, RobotView.CLASSES, h2, w2)),
        manager.create(robotDepthLog, new Shape(size, 1, h2, w2)),
        manager.create(robotDepthMask, new Shape(size, 1, h2, w2)),
        manager.create(robotHeat, new Shape(size, 1, h4, w4)),
        manager.create(robotPeaks, new Shape(size, 1, h4, w4)),
        manager.create(vehicleMask, new Shape(size, 1, 1, 1)),
        manager.create(robotMask, new Shape(size, 1, 1, 1)));
  }

  /** Samples of each domain in this batch. */
  public int count(io.optimus.perception.scene.Domain d) {
    float[] mask = d == io.optimus.perception.scene.Domain.VEHICLE ? vehicleMask : robotMask;
    int n = 0;
    for (float m : mask) {
      n += m > 0 ? 1 : 0;
    }
    return n;
  }

  /** Mean of the valid depth labels (metres) over scenes: the trivial depth baseline. */
  public static double meanDepth(List<? extends LabelledImage> scenes) {
    double sum = 0;
    long n = 0;
    for (LabelledImage s : scenes) {
      for (float d : s.depth()) {
        if (d > 0) {
          sum += d;
          n++;
        }
      }
    }
    return n == 0 ? SceneGenerator.MAX_DEPTH / 2 : sum / n;
  }
}
