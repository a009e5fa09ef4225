package io.optimus.motion.bvh;

import io.optimus.common.InputException;
import java.util.Locale;

/** Length units BVH files are written in. BVH does not declare its unit: it is given or inferred. */
public enum LengthUnit {
  M(1.0), CM(0.01), MM(0.001), INCH(0.0254),
  /** CMU mocap database units: 1 unit = 1/0.45 inch. */
  CMU(0.0254 / 0.45);

  /** A typical adult skeleton span (fingertip to toe through the joints, about 1.3 body heights), used to infer units. */
  static final double TYPICAL_SKELETON_SPAN_M = 2.2;

  private final double metres;

  LengthUnit(double metres) {
    this.metres = metres;
  }

  public double metres() {
    return metres;
  }

  /** Parses {@code m, cm, mm, inch, cmu} (case-insensitive). */
  public static LengthUnit parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.equals("IN") || t.equals("INCHES")) {
      return INCH;
    }
    try {
      return valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new InputException("unknown length unit '" + text + "' (expected m, cm, mm, inch or cmu)");
    }
  }

  /**
   * The unit that makes a skeleton {@code span} (in file units) closest to a human's, by log ratio.
   * Neighbouring units differ by a factor of at least 2.2, so a body 40% off typical still infers right.
   */
  public static LengthUnit inferFromSpan(double span) {
    LengthUnit best = CM;
    double bestError = Double.POSITIVE_INFINITY;
    for (LengthUnit u : values()) {
      double error = Math.abs(Math.log(span * u.metres / TYPICAL_SKELETON_SPAN_M));
      if (error < bestError) {
        bestError = error;
        best = u;
      }
    }
    return best;
  }
}
