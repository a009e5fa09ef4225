package io.optimus.bridge.world;

import io.optimus.proto.v1.ObjectState;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;

/**
 * A rigid box on the table: pose and velocity in the world frame, size, mass, friction, and who holds
 * it. Mutable, per world.
 */
public final class WorldObject {
  /** Defaults of the 5-argument constructor: a 100 g box with wood-on-wood friction. */
  public static final double DEFAULT_MASS = 0.1;
  public static final double DEFAULT_FRICTION = 0.6;

  public final String name;
  public final double[] size;
  /** Mass (kg). */
  public final double mass;
  /** Coulomb friction coefficient against the table and the hands. */
  public final double friction;
  /** Linear velocity in the world frame (m/s). */
  public final double[] velocity = new double[3];
  public final double[] position = new double[3];
  /** (w, x, y, z). */
  public final double[] orientation = {1, 0, 0, 0};
  final float[] rgb;
  double verticalVelocity;
  /** Index of the hand holding it, -1 if none. */
  int heldBy = -1;
  final double[] heldOffset = new double[3];
  final double[] heldRotation = {1, 0, 0, 0};
  /** Position before the last kinematic step, for its velocity. */
  final double[] lastPosition = new double[3];

  public WorldObject(String name, double sx, double sy, double sz, float[] rgb) {
    this(name, sx, sy, sz, DEFAULT_MASS, DEFAULT_FRICTION, rgb);
  }

  public WorldObject(String name, double sx, double sy, double sz, double mass, double friction, float[] rgb) {
    this.name = name;
    this.size = new double[] {sx, sy, sz};
    this.mass = mass;
    this.friction = friction;
    this.rgb = rgb;
  }

  /** Linear speed (m/s). */
  public double speed() {
    return Math.sqrt(velocity[0] * velocity[0] + velocity[1] * velocity[1] + velocity[2] * velocity[2]);
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
