package io.optimus.perception.scene;

import io.optimus.common.InputException;
import java.util.List;

/**
 * One frame of a robot camera (head or wrist) with the labels the simulator draws for free:
 * per-pixel {@link #BACKGROUND}/{@link #OBJECT}/{@link #HAND} segmentation, depth and the centres of
 * the task objects in view. Produced beside the frame by the renderer that drew it (robot-bridge's
 * CameraRenderer.lastLabels), so labels and pixels align; this module only reads them.
 *
 * @param camera which camera ("head", "left_wrist", ...)
 * @param segmentation row-major class per pixel
 * @param depth row-major camera z in metres, 0 where nothing but the backdrop is seen
 * @param centres visible objects' centres
 */
public record RobotView(String camera, int width, int height, byte[] rgb, byte[] segmentation, float[] depth,
    List<Centre> centres) implements LabelledImage {
  public static final byte BACKGROUND = 0;
  public static final byte OBJECT = 1;
  public static final byte HAND = 2;
  public static final int CLASSES = 3;
  public static final List<String> CLASS_NAMES = List.of("background", "object", "hand");

  /**
   * A visible object's centre.
   *
   * @param u column in pixels (pixel k spans [k, k + 1))
   * @param v row in pixels
   * @param radius the object's apparent radius in pixels (sqrt of its visible area / pi)
   */
  public record Centre(double u, double v, double radius) {}

  public RobotView {
    int n = width * height;
    if (width <= 0 || height <= 0 || rgb.length != 3 * n || segmentation.length != n || depth.length != n) {
      throw new InputException("robot view " + camera + " " + width + "x" + height + ": label sizes do not match"
          + " (rgb " + rgb.length + ", segmentation " + segmentation.length + ", depth " + depth.length + ")");
    }
    for (byte s : segmentation) {
      if (s < 0 || s >= CLASSES) {
        throw new InputException("robot view " + camera + ": segmentation class " + s + " is not 0..2");
      }
    }
    centres = List.copyOf(centres);
  }

  @Override
  public Domain domain() {
    return Domain.ROBOT;
  }
}
