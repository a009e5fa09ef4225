package io.optimus.teleop.hud;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/** Texture upload layout: RGBA8 rows bottom-up, as OpenGL (and so OpenXR's GL swapchains) address images. */
public final class HudTexture {
  private HudTexture() {}

  /** Writes {@code img} into {@code out} (width * height * 4 bytes, from position 0); returns out, flipped for reading. */
  public static ByteBuffer toRgbaBottomUp(BufferedImage img, ByteBuffer out) {
    int w = img.getWidth();
    int h = img.getHeight();
    if (out.capacity() < w * h * 4) {
      throw new IllegalArgumentException("texture buffer holds " + out.capacity() + " bytes, needs " + w * h * 4);
    }
    out.clear();
    int[] row = new int[w];
    for (int y = h - 1; y >= 0; y--) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int argb : row) {
        out.put((byte) (argb >> 16)).put((byte) (argb >> 8)).put((byte) argb).put((byte) (argb >>> 24));
      }
    }
    return out.flip();
  }
}
