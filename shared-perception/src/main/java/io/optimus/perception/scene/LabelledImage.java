package io.optimus.perception.scene;

import io.optimus.perception.RgbImage;

/** A camera image with exact labels for its domain's heads. */
public sealed interface LabelledImage permits DrivingScene, RobotView {
  int width();

  int height();

  /** Row-major RGB8. */
  byte[] rgb();

  Domain domain();

  /** Camera z depth in metres per pixel, 0 where unlabelled. */
  float[] depth();

  default RgbImage image() {
    return new RgbImage(width(), height(), rgb());
  }

  /** Pixels as floats in [0, 1], CHW order (the network's layout), written into {@code out} at offset. */
  default void toChw(float[] out, int offset) {
    image().toChw(out, offset);
  }
}
