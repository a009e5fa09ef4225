package io.optimus.motion.foxglove;

import com.google.protobuf.Timestamp;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Shape;
import io.optimus.proto.foxglove.Color;
import io.optimus.proto.foxglove.CubePrimitive;
import io.optimus.proto.foxglove.CylinderPrimitive;
import io.optimus.proto.foxglove.Pose;
import io.optimus.proto.foxglove.Quaternion;
import io.optimus.proto.foxglove.SceneEntity;
import io.optimus.proto.foxglove.SceneUpdate;
import io.optimus.proto.foxglove.SpherePrimitive;
import io.optimus.proto.foxglove.Vector3;
import java.util.List;

/**
 * A robot's geometry as one {@code foxglove.SceneUpdate}: an entity per link that has shapes (id
 * {@code robot/<link>}, frame_id the link, frame_locked so it moves with the link's transform), built
 * from the collision shapes the physics world and the camera renderer use (the visual ones where a
 * link has none). A capsule is a cylinder and two spheres; meshes are left out (only referenced by name).
 * Left-side links are tinted blue, right-side ones orange, so a viewer tells the arms apart at a glance.
 */
public final class RobotShapes {
  public static final String ENTITY_PREFIX = "robot/";
  private static final Color BODY = color(0.72, 0.73, 0.76);
  private static final Color LEFT = color(0.50, 0.62, 0.86);
  private static final Color RIGHT = color(0.90, 0.62, 0.45);

  private RobotShapes() {}

  /** The whole robot, every entity stamped {@code stamp}. */
  public static SceneUpdate scene(RobotModel model, Timestamp stamp) {
    SceneUpdate.Builder out = SceneUpdate.newBuilder();
    for (Link link : model.links()) {
      SceneEntity e = entity(link, stamp);
      if (e != null) {
        out.addEntities(e);
      }
    }
    return out.build();
  }

  /** One link's entity, or null when it has no drawable shape (camera frames, fingertip frames). */
  static SceneEntity entity(Link link, Timestamp stamp) {
    List<Shape> shapes = link.collisions().isEmpty() ? link.visuals() : link.collisions();
    Color color = link.name().startsWith("left_") ? LEFT : link.name().startsWith("right_") ? RIGHT : BODY;
    SceneEntity.Builder e = SceneEntity.newBuilder().setTimestamp(stamp).setFrameId(link.name())
        .setId(ENTITY_PREFIX + link.name()).setFrameLocked(true);
    for (Shape s : shapes) {
      Pose3 at = s.origin();
      switch (s.geometry()) {
        case Geometry.Box b -> e.addCubes(CubePrimitive.newBuilder().setPose(pose(at))
            .setSize(vector(b.size().x(), b.size().y(), b.size().z())).setColor(color));
        case Geometry.Sphere sp -> e.addSpheres(sphere(at, sp.radius(), color));
        case Geometry.Cylinder c -> e.addCylinders(cylinder(at, c.radius(), c.length(), color));
        case Geometry.Capsule c -> {
          e.addCylinders(cylinder(at, c.radius(), c.length(), color));
          for (double end : new double[] {-c.length() / 2, c.length() / 2}) {
            e.addSpheres(sphere(at.times(Pose3.of(0, 0, end)), c.radius(), color));
          }
        }
        case Geometry.Mesh m -> { } // a file reference only: nothing to draw without the file
      }
    }
    if (e.getCubesCount() + e.getSpheresCount() + e.getCylindersCount() == 0) {
      return null;
    }
    return e.build();
  }

  private static CylinderPrimitive.Builder cylinder(Pose3 at, double radius, double length, Color color) {
    return CylinderPrimitive.newBuilder().setPose(pose(at)).setSize(vector(2 * radius, 2 * radius, length))
        .setBottomScale(1).setTopScale(1).setColor(color);
  }

  private static SpherePrimitive.Builder sphere(Pose3 at, double radius, Color color) {
    return SpherePrimitive.newBuilder().setPose(pose(at)).setSize(vector(2 * radius, 2 * radius, 2 * radius))
        .setColor(color);
  }

  /** A pose as Foxglove's (quaternion x, y, z, w). */
  public static Pose pose(Pose3 p) {
    Vec3 t = p.translation();
    return Pose.newBuilder().setPosition(vector(t.x(), t.y(), t.z()))
        .setOrientation(Quaternion.newBuilder().setW(p.rotation().w()).setX(p.rotation().x())
            .setY(p.rotation().y()).setZ(p.rotation().z()))
        .build();
  }

  private static Vector3 vector(double x, double y, double z) {
    return Vector3.newBuilder().setX(x).setY(y).setZ(z).build();
  }

  private static Color color(double r, double g, double b) {
    return Color.newBuilder().setR(r).setG(g).setB(b).setA(1).build();
  }
}
