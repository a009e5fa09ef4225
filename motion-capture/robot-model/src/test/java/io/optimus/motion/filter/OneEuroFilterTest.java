package io.optimus.motion.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OneEuroFilterTest {
  private static double rms(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x * x;
    }
    return Math.sqrt(s / a.length);
  }

  @Test
  void jitterOnAStillSignalIsRemoved() {
    OneEuroFilter f = new OneEuroFilter(1, 1.0, 0.5, 1.0);
    Random r = new Random(1);
    double[] in = new double[2000], out = new double[2000];
    for (int i = 0; i < in.length; i++) {
      in[i] = 0.005 * r.nextGaussian();
      out[i] = f.filter(in[i], 0.01);
    }
    double ratio = rms(java.util.Arrays.copyOfRange(out, 100, 2000)) / rms(in);
    assertTrue(ratio < 0.3, "noise kept: " + ratio);
  }

  /** Beta raises the cutoff with speed: a fast ramp lags far less than with a fixed low cutoff. */
  @Test
  void fastMotionLagsLittleWhenBetaIsPositive() {
    OneEuroFilter adaptive = new OneEuroFilter(1, 1.0, 2.0, 1.0);
    OneEuroFilter fixed = new OneEuroFilter(1, 1.0, 0.0, 1.0);
    double la = 0, lf = 0;
    for (int i = 0; i < 300; i++) {
      double x = 1.0 * i * 0.01; // 1 m/s
      la = x - adaptive.filter(x, 0.01);
      lf = x - fixed.filter(x, 0.01);
    }
    assertTrue(la < 0.5 * lf, "adaptive lag " + la + " vs fixed " + lf);
    // a first-order low-pass at 1 Hz lags a 1 m/s ramp by 1/(2 pi) s: 0.159 m
    assertEquals(1 / (2 * Math.PI), lf, 0.02);
  }

  @Test
  void nonFiniteSamplesAndBadTimeStepsHoldTheEstimate() {
    OneEuroFilter f = new OneEuroFilter(3, 1.0, 0.5, 1.0);
    double[] out = new double[3];
    f.filter(new double[] {1, 2, 3}, 0.01, out);
    f.filter(new double[] {Double.NaN, 2, 3}, 0.01, out);
    assertEquals(1, out[0]);
    f.filter(new double[] {5, 5, 5}, 0, out);
    assertEquals(1, out[0]);
    f.filter(new double[] {5, 5, 5}, Double.NaN, out);
    assertEquals(3, out[2]);
    f.filter(new double[] {5, 5, 5}, 0.01, out);
    assertTrue(out[0] > 1 && out[0] < 5);
    assertThrows(IllegalArgumentException.class, () -> new OneEuroFilter(1, 0, 1, 1));
  }
}
