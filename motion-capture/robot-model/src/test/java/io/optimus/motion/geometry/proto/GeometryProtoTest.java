package io.optimus.motion.geometry.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.api.Test;

/** The conversions beside the value types keep what the value types' own methods did. */
class GeometryProtoTest {
  @Test
  void roundTripsFieldByField() {
    Vec3 v = new Vec3(0.1, -2, 3e-9);
    assertEquals(v, Vec3Proto.fromProto(Vec3Proto.toProto(v)));
    Quat q = Quat.fromRpy(0.2, -0.3, 2.9);
    assertEquals(q, QuatProto.fromProto(QuatProto.toProto(q)));
    Pose3 p = new Pose3(v, q);
    assertEquals(p, Pose3Proto.fromProto(Pose3Proto.toProto(p)));
    assertEquals(Pose3Proto.toProto(p), Pose3Proto.toProto(new double[] {0.1, -2, 3e-9}, 0,
        new double[] {9, q.w(), q.x(), q.y(), q.z()}, 1), "the array form builds the same message");
  }

  @Test
  void unsetOrNonFiniteOrientationIsTheIdentityAndNonFinitePositionStaysVisible() {
    assertEquals(Pose3.IDENTITY, Pose3Proto.fromProto(Pose.getDefaultInstance()), "unset pose");
    Pose nanOrientation = Pose.newBuilder().setOrientation(Quaternion.newBuilder().setW(Double.NaN).setX(1)).build();
    assertEquals(Quat.IDENTITY, Pose3Proto.fromProto(nanOrientation).rotation());
    Pose scaled = Pose.newBuilder().setOrientation(Quaternion.newBuilder().setW(2)).build();
    assertEquals(Quat.IDENTITY, Pose3Proto.fromProto(scaled).rotation(), "normalized");
    Pose nanPosition = Pose.newBuilder().setPosition(Vector3.newBuilder().setX(Double.NaN)).build();
    assertFalse(Pose3Proto.fromProto(nanPosition).isFinite(), "callers reject it by isFinite");
    Pose infPosition = Pose.newBuilder().setPosition(Vector3.newBuilder().setZ(Double.POSITIVE_INFINITY)).build();
    assertFalse(Pose3Proto.fromProto(infPosition).isFinite());
    assertFalse(QuatProto.fromProto(Quaternion.newBuilder().setW(Double.NaN).build()).isFinite(),
        "a bare quaternion is not normalized: NaN stays NaN");
    assertEquals(Vec3.ZERO, Vec3Proto.fromProto(Vector3.getDefaultInstance()));
  }

  @Test
  void garbageAndTruncatedBytesFailInTheParserBeforeAnyConversion() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThrows(InvalidProtocolBufferException.class, () -> Pose.parseFrom(garbage));
    byte[] truncated = java.util.Arrays.copyOf(Pose3Proto.toProto(Pose3.of(1, 2, 3)).toByteArray(), 5);
    assertThrows(InvalidProtocolBufferException.class, () -> Pose.parseFrom(truncated));
  }
}
