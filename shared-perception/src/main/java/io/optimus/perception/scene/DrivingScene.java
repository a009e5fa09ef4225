package io.optimus.perception.scene;

import java.util.List;

/**
 * One rendered camera image with exact labels for every head.
 *
 * @param rgb row-major RGB8, 3 bytes per pixel (like CameraFrame's IMAGE_ENCODING_RGB8)
 * @param segmentation row-major {@link SegClass} id per pixel
 * @param depth row-major camera-frame z depth in metres per pixel; 0 where there is no valid depth
 *     (sky, and ground farther than {@link SceneGenerator#MAX_DEPTH})
 * @param vehicles labels of vehicles visible enough to detect
 */
public record DrivingScene(int width, int height, byte[] rgb, byte[] segmentation, float[] depth,
    List<VehicleBox> vehicles) implements LabelledImage {

  @Override
  public Domain domain() {
    return Domain.VEHICLE;
  }
}
