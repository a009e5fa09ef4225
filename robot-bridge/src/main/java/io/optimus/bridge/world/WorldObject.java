package io.optimus.bridge.world;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;

/** A rigid box on the table: pose in the world frame, size, and who holds it. Mutable, per world. */
public final class WorldObject {
  public final String name;
  public final double[] size;
  public final double[] position = new double[3];
  /** (w, x, y, z). */
  public final double[] orientation = {1, 0, 0, 0};
  /** Linear velocity in the world frame (m/s). */
  public final double[] velocity = new double[3];
  /** Mass (kg) and Coulomb friction coefficient, for a physics world. */
  public final double mass;
  public final double friction;
  final float[] rgb;
  double verticalVelocity;
  /** Index of the hand holding it, -1 if none. */
  int heldBy = -1;
  final double[] heldOffset = new double[3];
  final double[] heldRotation = {1, 0, 0, 0};

  public WorldObject(String name, double sx, double sy, double sz, float[] rgb) {
    this(name, sx, sy, sz, rgb, 0.1, 0.8);
  }

  public WorldObject(String name, double sx, double sy, double sz, float[] rgb, double mass, double friction) {
    this.name = name;
    this.size = new double[] {sx, sy, sz};
    this.rgb = rgb;
    this.mass = mass;
    this.friction = friction;
  }

  /** A cube of edge {@code edge} (m). */
  static WorldObject cube(String name, double edge, float[] rgb, double mass, double friction) {
    return new WorldObject(name, edge, edge, edge, rgb, mass, friction);
  }

  public boolean held() {
    return heldBy >= 0;
  }

  ObjectState toProto(String[] handNames) {
    return ObjectState.newBuilder()
        .setName(name)
        .setPose(Pose.newBuilder()
            .setPosition(Vector3.newBuilder().setX(position[0]).setY(position[1]).setZ(position[2]))
            .setOrientation(Quaternion.newBuilder().setW(orientation[0]).setX(orientation[1])
                .setY(orientation[2]).setZ(orientation[3])))
        .setSize(Vector3.newBuilder().setX(size[0]).setY(size[1]).setZ(size[2]))
        .setGrasped(heldBy >= 0)
        .setHeldBy(heldBy >= 0 ? handNames[heldBy] : "")
        .build();
  }
}
