package io.optimus.teleop.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Vector3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Known cases of the y-up OpenXR -> z-up operator conversion. */
class XrToOperatorTest {
  private static final double EPS = 1e-12;

  @ParameterizedTest(name = "xr ({0},{1},{2}) -> op ({3},{4},{5})")
  @CsvSource({
      // 1 m in front of the user (OpenXR -Z) is +x forward
      "0, 0, -1,   1, 0, 0",
      // to the user's right (OpenXR +X) is -y (y is left)
      "1, 0, 0,    0, -1, 0",
      // up (OpenXR +Y) is +z
      "0, 1, 0,    0, 0, 1",
      // eyes 1.6 m up, 0.2 m behind the stage origin, 0.1 m left
      "-0.1, 1.6, 0.2,   -0.2, 0.1, 1.6",
  })
  void positions(double x, double y, double z, double ex, double ey, double ez) {
    Vector3 p = XrToOperator.position(x, y, z);
    assertEquals(ex, p.getX(), EPS);
    assertEquals(ey, p.getY(), EPS);
    assertEquals(ez, p.getZ(), EPS);
  }

  static Quaternion axisAngle(double ax, double ay, double az, double angle) {
    double s = Math.sin(angle / 2);
    return Quaternion.newBuilder().setW(Math.cos(angle / 2)).setX(ax * s).setY(ay * s).setZ(az * s).build();
  }

  static void assertQuat(Quaternion e, Quaternion a) {
    double sign = Math.signum(e.getW() * a.getW() + e.getX() * a.getX() + e.getY() * a.getY() + e.getZ() * a.getZ());
    assertEquals(e.getW(), sign * a.getW(), 1e-12);
    assertEquals(e.getX(), sign * a.getX(), 1e-12);
    assertEquals(e.getY(), sign * a.getY(), 1e-12);
    assertEquals(e.getZ(), sign * a.getZ(), 1e-12);
  }

  @Test
  void turningLeftIsYawAboutZ() {
    // OpenXR: turning the head 90 degrees left is +90 about +Y (up); ours: +90 about +z
    double s = Math.sin(Math.PI / 4), c = Math.cos(Math.PI / 4);
    assertQuat(axisAngle(0, 0, 1, Math.PI / 2), XrToOperator.orientation(0, s, 0, c));
  }

  @Test
  void lookingDownIsPitchAboutY() {
    // OpenXR: looking down is negative rotation about +X (right); ours: positive pitch about +y (left)
    double s = Math.sin(-Math.PI / 8), c = Math.cos(-Math.PI / 8);
    assertQuat(axisAngle(0, 1, 0, Math.PI / 4), XrToOperator.orientation(s, 0, 0, c));
  }

  @Test
  void rollingRightIsRollAboutX() {
    // +angle about +Z_xr (which points backwards) is -angle about our +x (forward)
    double s = Math.sin(0.3 / 2), c = Math.cos(0.3 / 2);
    assertQuat(axisAngle(1, 0, 0, -0.3), XrToOperator.orientation(0, 0, s, c));
  }

  @Test
  void aPoseRotatesVectorsConsistently() {
    // the controller's local -Z (its pointing direction) pointing forward-left-up in OpenXR
    // must point the same physical way after conversion
    double angle = 0.7;
    double[] axis = {0.3, 0.8, -0.52};
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double s = Math.sin(angle / 2) / n;
    Pose p = XrToOperator.pose(0, 0, 0, axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(angle / 2));
    double[] vXr = rotate(Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s, 0, 0, -1);
    Vector3 expected = XrToOperator.position(vXr[0], vXr[1], vXr[2]);
    Vector3 local = XrToOperator.position(0, 0, -1); // the same local axis, in operator coordinates
    Quaternion q = p.getOrientation();
    double[] vOp = rotate(q.getW(), q.getX(), q.getY(), q.getZ(), local.getX(), local.getY(), local.getZ());
    assertEquals(expected.getX(), vOp[0], 1e-12);
    assertEquals(expected.getY(), vOp[1], 1e-12);
    assertEquals(expected.getZ(), vOp[2], 1e-12);
  }

  @Test
  void roundTrip() {
    Vector3 p = XrToOperator.position(0.1, 0.2, 0.3);
    double[] back = XrToOperator.toXrPosition(p);
    assertEquals(0.1, back[0], EPS);
    assertEquals(0.2, back[1], EPS);
    assertEquals(0.3, back[2], EPS);
    double[] q = XrToOperator.toXrOrientation(XrToOperator.orientation(0.1, 0.2, 0.3, 0.927));
    assertEquals(0.1, q[0], EPS);
    assertEquals(0.2, q[1], EPS);
    assertEquals(0.3, q[2], EPS);
    assertEquals(0.927, q[3], EPS);
  }

  static double[] rotate(double w, double x, double y, double z, double vx, double vy, double vz) {
    // v' = v + 2w(u x v) + 2 u x (u x v)
    double cx = y * vz - z * vy, cy = z * vx - x * vz, cz = x * vy - y * vx;
    double ccx = y * cz - z * cy, ccy = z * cx - x * cz, ccz = x * cy - y * cx;
    return new double[] {vx + 2 * (w * cx + ccx), vy + 2 * (w * cy + ccy), vz + 2 * (w * cz + ccz)};
  }
}
