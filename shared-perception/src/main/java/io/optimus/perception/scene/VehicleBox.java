package io.optimus.perception.scene;

/**
 * Exact 2D label of one visible vehicle: the image-space bounding box of its 3D box (clipped to the
 * image), in pixels, with the pixel centre convention (pixel i covers [i, i+1)).
 *
 * @param centerX box centre, pixels from the left edge
 * @param centerY box centre, pixels from the top edge
 * @param width box width, pixels
 * @param height box height, pixels
 * @param distance forward distance of the vehicle's nearest face from the camera, metres
 * @param visibleFraction share of the box's pixels where this vehicle is the nearest surface
 */
public record VehicleBox(double centerX, double centerY, double width, double height, double distance,
    VehicleKind kind, double visibleFraction) {}
