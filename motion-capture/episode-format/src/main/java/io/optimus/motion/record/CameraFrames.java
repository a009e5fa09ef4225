package io.optimus.motion.record;

import io.optimus.common.InputException;
import io.optimus.proto.v1.CameraFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Camera frames (RGB8, MONO8, JPEG, PNG) as packed RGB8 bytes, row-major without padding: the one
 * decoder behind policy training and inference and the LeRobot export.
 */
public final class CameraFrames {
  private CameraFrames() {}

  /** @param where names the frame in error messages (file, topic, sequence) */
  public static byte[] rgb8(CameraFrame f, String where) {
    int w = f.getWidth();
    int h = f.getHeight();
    byte[] data = f.getData().toByteArray();
    switch (f.getEncoding()) {
      case IMAGE_ENCODING_RGB8 -> {
        int step = f.getStep() == 0 ? w * 3 : f.getStep();
        if (w <= 0 || h <= 0 || step < w * 3 || data.length < (long) step * (h - 1) + w * 3L) {
          throw new InputException(where + ": RGB8 frame " + w + "x" + h + " (step " + step + ") has only "
              + data.length + " bytes");
        }
        if (step == w * 3) {
          return data.length == w * h * 3 ? data : java.util.Arrays.copyOf(data, w * h * 3);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          System.arraycopy(data, y * step, out, y * w * 3, w * 3);
        }
        return out;
      }
      case IMAGE_ENCODING_MONO8 -> {
        int step = f.getStep() == 0 ? w : f.getStep();
        if (w <= 0 || h <= 0 || step < w || data.length < (long) step * (h - 1) + w) {
          throw new InputException(where + ": MONO8 frame " + w + "x" + h + " has only " + data.length + " bytes");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            byte v = data[y * step + x];
            int p = (y * w + x) * 3;
            out[p] = v;
            out[p + 1] = v;
            out[p + 2] = v;
          }
        }
        return out;
      }
      case IMAGE_ENCODING_JPEG, IMAGE_ENCODING_PNG -> {
        BufferedImage img;
        try {
          img = ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException e) {
          throw new InputException(where + ": " + f.getEncoding() + " frame does not decode: " + e.getMessage(), e);
        }
        // the header's size is what every reader of the bytes relies on
        if (img == null || img.getWidth() != w || img.getHeight() != h) {
          throw new InputException(where + ": " + f.getEncoding() + " frame does not decode to the "
              + w + "x" + h + " its header says");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int rgb = img.getRGB(x, y);
            int p = (y * w + x) * 3;
            out[p] = (byte) (rgb >> 16);
            out[p + 1] = (byte) (rgb >> 8);
            out[p + 2] = (byte) rgb;
          }
        }
        return out;
      }
      default -> throw new InputException(where + ": camera encoding " + f.getEncoding()
          + " is not a colour image");
    }
  }
}
