package io.optimus.perception;

import io.optimus.common.InputException;

/**
 * A camera image as the robot sends it: row-major RGB8, 3 bytes per pixel, no row padding
 * (CameraFrame's IMAGE_ENCODING_RGB8).
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new InputException("image size " + width + "x" + height + ": must be positive");
    }
    if (rgb == null || rgb.length != (long) width * height * 3) {
      int got = rgb == null ? 0 : rgb.length;
      String hint = got == width * height ? " (1 byte per pixel: a MONO8 image? expected 3-channel RGB8)"
          : got == width * height * 4 ? " (4 bytes per pixel: RGBA? expected 3-channel RGB8)" : "";
      throw new InputException("image " + width + "x" + height + ": expected " + (width * height * 3)
          + " bytes of RGB8, got " + got + hint);
    }
  }

  /** Writes the image as floats in [0, 1], CHW order, at {@code offset} of {@code out}. */
  public void toChw(float[] out, int offset) {
    int plane = width * height;
    for (int i = 0; i < plane; i++) {
      out[offset + i] = (rgb[3 * i] & 0xff) / 255f;
      out[offset + plane + i] = (rgb[3 * i + 1] & 0xff) / 255f;
      out[offset + 2 * plane + i] = (rgb[3 * i + 2] & 0xff) / 255f;
    }
  }
}
