package io.optimus.motion.dataset.lerobot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statistics as LeRobot lays them out: population std, linear quantiles, count-weighted aggregation. */
class FeatureStatsTest {
  @Test
  void perDimensionStatisticsOfRows() {
    // two dimensions, four rows: column 0 = 1, 2, 3, 4; column 1 = 10, 10, 10, 50
    FeatureStats s = FeatureStats.of(new float[] {1, 10, 2, 10, 3, 10, 4, 50}, 4, 2);
    assertArrayEquals(new double[] {1, 10}, s.min());
    assertArrayEquals(new double[] {4, 50}, s.max());
    assertArrayEquals(new double[] {2.5, 20}, s.mean(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(1.25), Math.sqrt(300)}, s.std(), 1e-12);
    assertEquals(4, s.count());
    assertArrayEquals(new double[] {2.5, 10}, s.quantiles()[2], 1e-12, "q50");
    assertArrayEquals(new double[] {1.03, 10}, s.quantiles()[0], 1e-12, "q01 interpolates as numpy does");
    assertEquals(List.of("min", "max", "mean", "std", "q01", "q10", "q50", "q90", "q99"), List.copyOf(s.vectors().keySet()));
  }

  @Test
  void aggregationPoolsMeansAndVariancesExactly() {
    float[] all = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    FeatureStats whole = FeatureStats.of(all, 10, 1);
    FeatureStats a = FeatureStats.of(new float[] {1, 2, 3}, 3, 1);
    FeatureStats b = FeatureStats.of(new float[] {4, 5, 6, 7, 8, 9, 10}, 7, 1);
    FeatureStats agg = FeatureStats.aggregate(List.of(a, b));
    assertEquals(10, agg.count());
    assertArrayEquals(whole.mean(), agg.mean(), 1e-12);
    assertArrayEquals(whole.std(), agg.std(), 1e-12);
    assertArrayEquals(whole.min(), agg.min());
    assertArrayEquals(whole.max(), agg.max());
    assertEquals((3 * 2.0 + 7 * 7.0) / 10, agg.quantiles()[2][0], 1e-12, "quantiles: count-weighted, as LeRobot");
  }

  @Test
  void imageStatisticsPerChannelInZeroToOne() {
    long[][] h = new long[3][256];
    h[0][0] = 50;
    h[0][255] = 50;
    h[1][128] = 100;
    h[2][10] = 99;
    h[2][200] = 1;
    FeatureStats s = FeatureStats.ofHistograms(h, 7);
    assertEquals(7, s.count(), "count is the number of images, as LeRobot's");
    assertArrayEquals(new double[] {0, 128 / 255.0, 10 / 255.0}, s.min(), 1e-12);
    assertArrayEquals(new double[] {1, 128 / 255.0, 200 / 255.0}, s.max(), 1e-12);
    assertArrayEquals(new double[] {0.5, 128 / 255.0, (99 * 10 + 200) / 100.0 / 255}, s.mean(), 1e-12);
    assertEquals(0.5, s.std()[0], 1e-12);
    assertEquals(0, s.quantiles()[2][0], 1e-12, "q50 of half black, half white: the lower middle value");
    assertEquals(1, s.quantiles()[4][0], 1e-12, "q99");
    assertEquals(10 / 255.0, s.quantiles()[3][2], 1e-12, "q90");
  }
}
