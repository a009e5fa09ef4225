package io.optimus.motion.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Inertial;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.model.Shape;
import io.optimus.proto.foxglove.SceneEntity;
import io.optimus.proto.foxglove.SceneUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobotShapesTest {
  private static final Timestamp T = Timestamp.newBuilder().setSeconds(42).build();

  @Test
  void everyLinkWithCollisionShapesIsAnEntityLockedToItsFrame() {
    RobotModel m = Robots.load("optimus");
    SceneUpdate scene = RobotShapes.scene(m, T);
    long withShapes = m.links().stream().filter(l -> !l.collisions().isEmpty() || !l.visuals().isEmpty()).count();
    assertEquals(withShapes, scene.getEntitiesCount());
    for (SceneEntity e : scene.getEntitiesList()) {
      assertEquals(RobotShapes.ENTITY_PREFIX + e.getFrameId(), e.getId());
      assertTrue(m.linkIndex(e.getFrameId()) >= 0, e.getFrameId());
      assertTrue(e.getFrameLocked(), e.getId());
      assertEquals(T, e.getTimestamp());
    }
  }

  @Test
  void aCapsuleIsACylinderBetweenTwoSpheresAlongItsAxis() {
    Pose3 at = new Pose3(new Vec3(0, 0, -0.16), io.optimus.motion.geometry.Quat.fromRpy(Math.PI / 2, 0, 0));
    Link thigh = new Link("left_thigh", new Inertial(1, Pose3.IDENTITY, 1, 0, 0, 1, 0, 1),
        List.of(), List.of(new Shape("c", at, new Geometry.Capsule(0.07, 0.28))));
    SceneEntity e = RobotShapes.entity(thigh, T);
    assertEquals(1, e.getCylindersCount());
    assertEquals(2, e.getSpheresCount());
    assertEquals(0.14, e.getCylinders(0).getSize().getX(), 1e-12);
    assertEquals(0.28, e.getCylinders(0).getSize().getZ(), 1e-12);
    // rolled 90 degrees about x, the capsule's z axis is the link's -y: caps at y = -+0.14
    assertEquals(0.14, Math.abs(e.getSpheres(0).getPose().getPosition().getY()), 1e-12);
    assertEquals(-e.getSpheres(0).getPose().getPosition().getY(), e.getSpheres(1).getPose().getPosition().getY(), 1e-12);
    assertEquals(-0.16, e.getSpheres(1).getPose().getPosition().getZ(), 1e-12);
    assertEquals(0.14, e.getSpheres(0).getSize().getX(), 1e-12);
    assertTrue(e.getSpheres(0).getColor().getB() > e.getSpheres(0).getColor().getR(), "left links are tinted blue");
  }

  @Test
  void aLinkWithNothingToDrawIsNoEntity() {
    Link camera = new Link("head_camera", new Inertial(0, Pose3.IDENTITY, 0, 0, 0, 0, 0, 0), List.of(),
        List.of(new Shape("m", Pose3.IDENTITY, new Geometry.Mesh("cam.stl", new Vec3(1, 1, 1)))));
    assertEquals(null, RobotShapes.entity(camera, T));
  }
}
