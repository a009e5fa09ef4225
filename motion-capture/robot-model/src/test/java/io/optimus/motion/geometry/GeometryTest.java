package io.optimus.motion.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.geometry.proto.Pose3Proto;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GeometryTest {
  @Test
  void rpyIsFixedAxesXThenYThenZ() {
    Quat q = Quat.fromRpy(0.3, -0.5, 1.2);
    Quat composed = Quat.fromAxisAngle(Vec3.UNIT_Z, 1.2).times(Quat.fromAxisAngle(Vec3.UNIT_Y, -0.5))
        .times(Quat.fromAxisAngle(Vec3.UNIT_X, 0.3));
    assertEquals(0, q.angleTo(composed), 1e-12);
  }

  @Test
  void matrixRotationVectorAndProtoRoundTrips() {
    Random r = new Random(2);
    for (int i = 0; i < 100; i++) {
      Quat q = new Quat(r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()).normalized();
      double[] m = new double[9];
      q.toMatrix(m, 0);
      assertEquals(0, q.angleTo(Quat.fromMatrix(m, 0)), 1e-9);
      assertEquals(0, q.angleTo(Quat.fromRotationVector(q.toRotationVector())), 1e-9);
      Vec3 v = new Vec3(r.nextGaussian(), r.nextGaussian(), r.nextGaussian());
      Vec3 viaMatrix = new Vec3(m[0] * v.x() + m[1] * v.y() + m[2] * v.z(), m[3] * v.x() + m[4] * v.y() + m[5] * v.z(),
          m[6] * v.x() + m[7] * v.y() + m[8] * v.z());
      assertTrue(q.rotate(v).distance(viaMatrix) < 1e-12);
      Pose3 p = new Pose3(v, q);
      Pose3 back = Pose3Proto.fromProto(Pose3Proto.toProto(p));
      assertTrue(back.translation().equals(p.translation()) && back.rotation().angleTo(q) < 1e-12);
      Pose3 id = p.times(p.inverse());
      assertTrue(id.translation().norm() < 1e-12 && id.rotation().angle() < 1e-7);
    }
    assertEquals(0, new Quat(0.5, 0.5, 0.5, 0.5).angleTo(new Quat(-0.5, -0.5, -0.5, -0.5)), 1e-12, "q and -q");
    assertEquals(Quat.IDENTITY, Pose3Proto.fromProto(io.optimus.proto.v1.Pose.getDefaultInstance()).rotation(),
        "an unset orientation is the identity");
  }
}
