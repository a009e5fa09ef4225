package io.optimus.teleop.hud;

import io.optimus.common.InputException;
import io.optimus.proto.v1.CameraFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes a robot {@link CameraFrame} into an image for display (depth shown as grey levels), refusing frames whose size and data disagree. */
public final class CameraFrameDisplay {
  private CameraFrameDisplay() {}

  public static BufferedImage decode(CameraFrame f) {
    String what = "camera frame '" + f.getCameraName() + "' #" + f.getSequence();
    int w = f.getWidth();
    int h = f.getHeight();
    byte[] d = f.getData().toByteArray();
    switch (f.getEncoding()) {
      case IMAGE_ENCODING_JPEG, IMAGE_ENCODING_PNG -> {
        try {
          BufferedImage img = ImageIO.read(new ByteArrayInputStream(d));
          if (img == null) {
            throw new InputException(what + ": " + f.getEncoding() + " data is not a readable image");
          }
          return img;
        } catch (IOException e) {
          throw new InputException(what + ": " + f.getEncoding() + " data is corrupt: " + e.getMessage(), e);
        }
      }
      case IMAGE_ENCODING_RGB8, IMAGE_ENCODING_MONO8, IMAGE_ENCODING_DEPTH16 -> {
        int bpp = switch (f.getEncoding()) {
          case IMAGE_ENCODING_RGB8 -> 3;
          case IMAGE_ENCODING_DEPTH16 -> 2;
          default -> 1;
        };
        if (w <= 0 || h <= 0 || w > 8192 || h > 8192) {
          throw new InputException(what + ": size " + w + "x" + h + " is out of range");
        }
        int step = f.getStep() == 0 ? w * bpp : f.getStep();
        if (step < w * bpp || (long) step * (h - 1) + (long) w * bpp > d.length) {
          throw new InputException(what + ": " + f.getEncoding() + " " + w + "x" + h + " with step " + step
              + " needs " + ((long) step * (h - 1) + (long) w * bpp) + " bytes, got " + d.length);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
          int row = y * step;
          for (int x = 0; x < w; x++) {
            int rgb;
            if (bpp == 3) {
              int i = row + 3 * x;
              rgb = (d[i] & 0xff) << 16 | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff);
            } else if (bpp == 2) { // depth in mm, shown 0..4 m as white..black
              int i = row + 2 * x;
              int mm = (d[i] & 0xff) | (d[i + 1] & 0xff) << 8;
              int g = mm == 0 ? 0 : 255 - Math.min(255, mm * 255 / 4000);
              rgb = g << 16 | g << 8 | g;
            } else {
              int g = d[row + x] & 0xff;
              rgb = g << 16 | g << 8 | g;
            }
            img.setRGB(x, y, rgb);
          }
        }
        return img;
      }
      default -> throw new InputException(what + ": encoding " + f.getEncoding() + " is not supported");
    }
  }
}
