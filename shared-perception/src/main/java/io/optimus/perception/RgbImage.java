package io.optimus.perception;

import io.optimus.common.InputException;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ImageEncoding;

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

  /** The image of an RGB8 camera frame, dropping any row padding ({@code step}). */
  public static RgbImage of(CameraFrame frame) {
    if (frame.getEncoding() != ImageEncoding.IMAGE_ENCODING_RGB8) {
      throw new InputException("camera frame '" + frame.getCameraName() + "': encoding " + frame.getEncoding()
          + " is not supported, expected IMAGE_ENCODING_RGB8");
    }
    int w = frame.getWidth();
    int h = frame.getHeight();
    int step = frame.getStep() == 0 ? w * 3 : frame.getStep();
    byte[] data = frame.getData().toByteArray();
    if (step < w * 3 || data.length < (long) step * (h - 1) + w * 3L) {
      throw new InputException("camera frame '" + frame.getCameraName() + "': " + data.length + " bytes is too"
          + " short for " + w + "x" + h + " RGB8 with a row step of " + step);
    }
    if (step == w * 3 && data.length == w * h * 3) {
      return new RgbImage(w, h, data);
    }
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(data, y * step, rgb, y * w * 3, w * 3);
    }
    return new RgbImage(w, h, rgb);
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
