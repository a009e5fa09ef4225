package io.optimus.motion.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.geometry.euclidean.threed.Rotation;
import org.apache.commons.math3.geometry.euclidean.threed.RotationConvention;
import org.apache.commons.math3.geometry.euclidean.threed.Vector3D;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@link Rotations} against an independent reference, Commons Math 3.6.1 {@link Rotation}. Its
 * {@code getMatrix()} is the usual row-major R with {@code applyTo(v) = R v}, while its (q0, q1, q2,
 * q3) are the conjugate of the Hamilton quaternion of R (checked in {@link #oracleConvention}).
 */
class RotationsTest {
  private static final Vector3D[] AXES = {Vector3D.PLUS_I, Vector3D.PLUS_J, Vector3D.PLUS_K,
      new Vector3D(1, 1, 0).normalize(), new Vector3D(0, 1, -1).normalize(), new Vector3D(1, 1, 1).normalize(),
      new Vector3D(-1, 2, 0.5).normalize(), new Vector3D(0.01, 0, 1).normalize()};

  /** The oracle's rotation as a Hamilton (w, x, y, z) with w >= 0. */
  private static double[] hamilton(Rotation r) {
    double[] q = {r.getQ0(), -r.getQ1(), -r.getQ2(), -r.getQ3()};
    if (q[0] < 0) {
      for (int i = 0; i < 4; i++) {
        q[i] = -q[i];
      }
    }
    return q;
  }

  private static double[] rowMajor(Rotation r) {
    double[][] m = r.getMatrix();
    return new double[] {m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]};
  }

  private static double[] quatOf(double[] m) {
    double[] q = new double[4];
    Rotations.matrixToQuat(m, 0, q, 0);
    return q;
  }

  private static Rotation rotation(Vector3D axis, double angle) {
    return new Rotation(axis, angle, RotationConvention.VECTOR_OPERATOR);
  }

  /** Same rotation: |q . p| = 1 (q and -q are one rotation). */
  private static void assertSameRotation(double[] expected, double[] actual, double tol, String what) {
    double dot = 0;
    for (int i = 0; i < 4; i++) {
      dot += expected[i] * actual[i];
    }
    assertEquals(1, Math.abs(dot), tol, what + ": " + java.util.Arrays.toString(actual));
  }

  @Test
  void oracleConvention() {
    Rotation r = rotation(new Vector3D(0.3, -0.5, 0.8).normalize(), 1.1);
    double[] m = rowMajor(r);
    for (Vector3D v : new Vector3D[] {Vector3D.PLUS_I, Vector3D.PLUS_J, Vector3D.PLUS_K}) {
      Vector3D rv = r.applyTo(v);
      double[] viaM = {m[0] * v.getX() + m[1] * v.getY() + m[2] * v.getZ(),
          m[3] * v.getX() + m[4] * v.getY() + m[5] * v.getZ(), m[6] * v.getX() + m[7] * v.getY() + m[8] * v.getZ()};
      assertArrayEquals(rv.toArray(), viaM, 1e-15, "getMatrix() is R with applyTo(v) = R v");
      double[] q = hamilton(r);
      double[] viaQ = new double[3];
      Rotations.quatRotate(q, v.getX(), v.getY(), v.getZ(), viaQ);
      assertArrayEquals(rv.toArray(), viaQ, 1e-15, "the conjugated oracle quaternion rotates like R");
    }
  }

  @Test
  void matchesOracleOnRandomRotations() {
    Random rnd = new Random(19);
    for (int i = 0; i < 2000; i++) {
      Vector3D axis = new Vector3D(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()).normalize();
      Rotation r = rotation(axis, (2 * rnd.nextDouble() - 1) * Math.PI);
      double[] q = quatOf(rowMajor(r));
      assertArrayEquals(hamilton(r), q, 1e-12, "rotation " + i);
      assertTrue(q[0] >= 0, "w >= 0");
      assertEquals(1, Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]), 1e-15);
      double[] back = new double[9];
      Rotations.quatToMatrix(q, 0, back, 0);
      assertArrayEquals(rowMajor(r), back, 1e-12, "quaternion back to the matrix");
    }
  }

  @Test
  void halfTurnsAboutEachAxisAndDiagonals() {
    for (Vector3D axis : AXES) {
      Rotation r = rotation(axis, Math.PI);
      double[] m = rowMajor(r);
      double[] q = quatOf(m);
      assertSameRotation(hamilton(r), q, 1e-15, "half turn about " + axis);
      assertTrue(q[0] >= 0, "w >= 0 (w = 0 here): " + q[0]);
      assertEquals(0, q[0], 1e-15);
      assertEquals(0, Vector3D.crossProduct(axis, new Vector3D(q[1], q[2], q[3])).getNorm(), 1e-15,
          "the vector part lies along the axis");
    }
    // exact matrices, no rounding in the input
    assertArrayEquals(new double[] {0, 1, 0, 0}, quatOf(new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1}), 0);
    assertArrayEquals(new double[] {0, 0, 1, 0}, quatOf(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, -1}), 0);
    assertArrayEquals(new double[] {0, 0, 0, 1}, quatOf(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}), 0);
  }

  @Test
  void traceNearMinusOneStaysAccurate() {
    for (Vector3D axis : AXES) {
      for (int k = 2; k <= 12; k++) {
        for (double sign : new double[] {-1, 1}) {
          double angle = sign * (Math.PI - Math.pow(10, -k));
          Rotation r = rotation(axis, angle);
          double[] m = rowMajor(r);
          assertEquals(-1, m[0] + m[4] + m[8], 1e-3, "trace near -1");
          double[] q = quatOf(m);
          assertArrayEquals(hamilton(r), q, 1e-12, "angle pi - 1e-" + k + " about " + axis);
          assertTrue(q[0] >= 0);
        }
      }
    }
  }

  @Test
  void toleratesSlightlyNonOrthonormalInput() {
    Random rnd = new Random(7);
    for (double noise : new double[] {1e-9, 1e-6, 1e-4}) {
      for (int i = 0; i < 300; i++) {
        Vector3D axis = new Vector3D(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()).normalize();
        // include angles near pi, where a naive trace formula breaks down
        double angle = i % 3 == 0 ? Math.PI - 1e-3 * rnd.nextDouble() : (2 * rnd.nextDouble() - 1) * Math.PI;
        double[] m = rowMajor(rotation(axis, angle));
        double[][] noisy = new double[3][3];
        for (int j = 0; j < 9; j++) {
          m[j] += noise * (2 * rnd.nextDouble() - 1);
          noisy[j / 3][j % 3] = m[j];
        }
        double[] q = quatOf(m);
        assertEquals(1, Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]), 1e-15, "unit length");
        assertTrue(q[0] >= 0);
        // the oracle orthonormalizes to the nearest rotation first
        double[] expected = hamilton(new Rotation(noisy, 1e-2));
        assertSameRotation(expected, q, 10 * noise, "noise " + noise);
        double angleBetween = 2 * Math.acos(Math.min(1, Math.abs(
            expected[0] * q[0] + expected[1] * q[1] + expected[2] * q[2] + expected[3] * q[3])));
        assertTrue(angleBetween < Math.max(10 * noise, 1e-7), "noise " + noise + " moved the rotation by " + angleBetween + " rad");
      }
    }
  }

  @Test
  void nanInputGivesNanNotAnIdentity() {
    double[] base = rowMajor(rotation(Vector3D.PLUS_K, 0.4));
    for (int j = 0; j < 9; j++) {
      double[] m = base.clone();
      m[j] = Double.NaN;
      double[] q = quatOf(m);
      for (double c : q) {
        assertTrue(Double.isNaN(c), "NaN at " + j + " gave " + java.util.Arrays.toString(q));
      }
      assertFalse(Quat.fromMatrix(m, 0).isFinite(), "the value type shows it too");
    }
  }

  @Test
  void writesAtOffsetsAndTheValueTypeAgrees() {
    Rotation r = rotation(new Vector3D(1, -2, 3).normalize(), 2.5);
    double[] m = new double[20];
    System.arraycopy(rowMajor(r), 0, m, 7, 9);
    double[] q = new double[10];
    Rotations.matrixToQuat(m, 7, q, 5);
    assertArrayEquals(hamilton(r), java.util.Arrays.copyOfRange(q, 5, 9), 1e-12);
    Quat v = Quat.fromMatrix(m, 7);
    assertArrayEquals(hamilton(r), new double[] {v.w(), v.x(), v.y(), v.z()}, 1e-12);
  }

  @Test
  void quaternionProductConjugateAndYawMatchTheOracle() {
    Random rnd = new Random(3);
    for (int i = 0; i < 200; i++) {
      Rotation a = rotation(new Vector3D(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()).normalize(),
          rnd.nextDouble() * 3);
      Rotation b = rotation(new Vector3D(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()).normalize(),
          rnd.nextDouble() * 3);
      double[] ab = new double[4];
      Rotations.quatMultiply(hamilton(a), hamilton(b), ab);
      // a * b applies b first, as the oracle's a.applyTo(b)
      assertSameRotation(hamilton(a.applyTo(b)), ab, 1e-12, "product");
      double[] inv = new double[4];
      Rotations.quatConjugate(hamilton(a), inv);
      assertSameRotation(hamilton(a.revert()), inv, 1e-12, "conjugate");
      double yaw = (2 * rnd.nextDouble() - 1) * Math.PI * 0.99;
      double[] qy = new double[4];
      Rotations.quatFromYaw(yaw, qy);
      assertSameRotation(hamilton(rotation(Vector3D.PLUS_K, yaw)), qy, 1e-12, "from yaw");
      assertEquals(yaw, Rotations.quatYaw(qy), 1e-12);
      double[] my = new double[9];
      Rotations.matrixFromYaw(yaw, my);
      assertArrayEquals(rowMajor(rotation(Vector3D.PLUS_K, yaw)), my, 1e-15);
    }
    double[] q = {0, 0, 0, 0};
    Rotations.quatNormalize(q);
    assertArrayEquals(new double[] {1, 0, 0, 0}, q, "zero becomes the identity");
    q = new double[] {Double.NaN, 0, 0, 1};
    Rotations.quatNormalize(q);
    assertArrayEquals(new double[] {1, 0, 0, 0}, q, "non-finite becomes the identity");
  }

  @Test
  void matrixProductsMatchCommonsMathIncludingInPlace() {
    Random rnd = new Random(5);
    for (int i = 0; i < 100; i++) {
      double[] a = new double[9];
      double[] b = new double[9];
      for (int j = 0; j < 9; j++) {
        a[j] = rnd.nextGaussian();
        b[j] = rnd.nextGaussian();
      }
      RealMatrix ra = new Array2DRowRealMatrix(new double[][] {{a[0], a[1], a[2]}, {a[3], a[4], a[5]}, {a[6], a[7], a[8]}});
      RealMatrix rb = new Array2DRowRealMatrix(new double[][] {{b[0], b[1], b[2]}, {b[3], b[4], b[5]}, {b[6], b[7], b[8]}});
      double[] out = new double[9];
      Rotations.matrixMultiply(a, b, out);
      assertArrayEquals(flat(ra.multiply(rb)), out, 1e-12, "a b");
      Rotations.matrixMultiplyTransposed(a, b, out);
      assertArrayEquals(flat(ra.multiply(rb.transpose())), out, 1e-12, "a b^T");
      double[] inPlace = a.clone();
      Rotations.matrixMultiply(inPlace, b, inPlace);
      assertArrayEquals(flat(ra.multiply(rb)), inPlace, 1e-12, "a := a b");
      double[] big = new double[27];
      System.arraycopy(a, 0, big, 0, 9);
      System.arraycopy(b, 0, big, 9, 9);
      Rotations.matrixMultiply(big, 0, big, 9, big, 18);
      assertArrayEquals(flat(ra.multiply(rb)), java.util.Arrays.copyOfRange(big, 18, 27), 1e-12, "at offsets");
    }
  }

  private static double[] flat(RealMatrix m) {
    double[] out = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        out[3 * r + c] = m.getEntry(r, c);
      }
    }
    return out;
  }
}
