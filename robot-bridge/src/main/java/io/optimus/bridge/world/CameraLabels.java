package io.optimus.bridge.world;

import java.util.List;

/**
 * Per-pixel labels of one rendered camera frame, from the very primitives the frame was painted with
 * ({@link CameraRenderer#lastLabels()}), so they align with its pixels: the simulator's free labelling
 * step for perception training. Labels are those of the pixel centre (no antialiasing), so a pixel on
 * an antialiased edge may blend two classes in the image and carry one of them here.
 *
 * @param segmentation row-major class per pixel: {@link #BACKGROUND}, {@link #OBJECT}, {@link #HAND}
 * @param instance row-major object index + 1 per pixel (0 where no object is seen)
 * @param depth row-major camera z depth in metres per pixel; 0 where nothing but the backdrop is seen.
 *     Exact (per pixel) on polygons (floor, table, objects, boxes); a capsule's pixels carry the depth of
 *     its nearest end, as the painter orders it
 * @param centres every world object's centre projected into the image, in the world's object order
 */
public record CameraLabels(int width, int height, byte[] segmentation, byte[] instance, float[] depth,
    List<ObjectCentre> centres) {
  /** Walls, floor, table, target area. */
  public static final byte BACKGROUND = 0;
  /** A task object (cube, block, ...). */
  public static final byte OBJECT = 1;
  /** The robot's own arms, hands and fingers. */
  public static final byte HAND = 2;
  public static final List<String> CLASS_NAMES = List.of("background", "object", "hand");

  /**
   * One object's centre in the image.
   *
   * @param u column (pixels, 0 = left edge of the image, pixel k spans [k, k + 1))
   * @param v row (pixels, 0 = top)
   * @param depth camera z of the centre (m); not positive when the centre is behind the lens
   * @param pixels how many pixels show the object (0: out of view or hidden)
   */
  public record ObjectCentre(String name, double u, double v, double depth, int pixels) {
    /** In front of the lens, inside the image and at least partly seen. */
    public boolean visible(int width, int height) {
      return depth > CameraRenderer.NEAR && pixels > 0 && u >= 0 && v >= 0 && u < width && v < height;
    }
  }

  public int pixelsOf(byte segClass) {
    int n = 0;
    for (byte s : segmentation) {
      n += s == segClass ? 1 : 0;
    }
    return n;
  }
}
