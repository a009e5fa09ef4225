package io.optimus.motion.retarget;

import io.optimus.common.InputException;

/**
 * The operator's body dimensions, metres: stature, shoulder (biacromial) width, and arm length from
 * the shoulder joint to the grip/palm centre.
 */
public record OperatorBody(double height, double shoulderWidth, double armLength) {
  /** Ratios of stature (Drillis and Contini, 1966): eye height and shoulder height. */
  public static final double EYE_HEIGHT_RATIO = 0.936;
  public static final double SHOULDER_HEIGHT_RATIO = 0.818;
  /** Biacromial breadth over stature, adult average. */
  public static final double SHOULDER_WIDTH_RATIO = 0.23;
  /** Shoulder to grip centre over stature. */
  public static final double ARM_LENGTH_RATIO = 0.35;

  /** An average adult until calibrated. */
  public static final OperatorBody DEFAULT = ofHeight(1.75);

  public OperatorBody {
    if (!(height >= 1.0 && height <= 2.4)) {
      throw new InputException("operator height " + height + " m is outside 1.0-2.4 m");
    }
    if (!(shoulderWidth >= 0.2 && shoulderWidth <= 0.7)) {
      throw new InputException("operator shoulder width " + shoulderWidth + " m is outside 0.2-0.7 m");
    }
    if (!(armLength >= 0.3 && armLength <= 1.1)) {
      throw new InputException("operator arm length " + armLength + " m is outside 0.3-1.1 m");
    }
  }

  /** Proportions of an average adult of this stature. */
  public static OperatorBody ofHeight(double height) {
    return new OperatorBody(height, SHOULDER_WIDTH_RATIO * height, ARM_LENGTH_RATIO * height);
  }

  public double eyeHeight() {
    return EYE_HEIGHT_RATIO * height;
  }

  public double shoulderHeight() {
    return SHOULDER_HEIGHT_RATIO * height;
  }
}
