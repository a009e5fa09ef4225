package io.optimus.perception.scene;

/** Vehicle sizes the generator places: width, height, length in metres (jittered +-10%). */
public enum VehicleKind {
  CAR(1.8, 1.5, 4.4),
  VAN(2.0, 2.1, 5.2),
  TRUCK(2.5, 3.3, 8.5);

  public final double width;
  public final double height;
  public final double length;

  VehicleKind(double width, double height, double length) {
    this.width = width;
    this.height = height;
    this.length = length;
  }
}
