package io.optimus.policy.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TemporalEnsemblerTest {
  @Test
  void weighsOverlappingPredictionsExponentiallyOldestFirst() {
    // H = 3, one joint. Chunk at tick 0 says 0,1,2 ; tick 1 says 10,11,12 ; tick 2 says 20,21,22.
    TemporalEnsembler e = new TemporalEnsembler(3, 1, 0.5);
    float[] out = new float[1];
    e.add(0, new float[] {0, 1, 2});
    assertTrue(e.target(0, out));
    assertEquals(0, out[0], 1e-6);
    e.add(1, new float[] {10, 11, 12});
    e.add(2, new float[] {20, 21, 22});
    assertTrue(e.target(2, out));
    double w0 = 1;
    double w1 = Math.exp(-0.5);
    double w2 = Math.exp(-1.0);
    assertEquals((w0 * 2 + w1 * 11 + w2 * 20) / (w0 + w1 + w2), out[0], 1e-5);
    // Tick 3: the chunk from tick 0 has expired.
    e.add(3, new float[] {30, 31, 32});
    assertTrue(e.target(3, out));
    assertEquals((w0 * 12 + w1 * 21 + w2 * 30) / (w0 + w1 + w2), out[0], 1e-5);
  }

  @Test
  void negativeDecayWeighsTheNewestPredictionMost() {
    TemporalEnsembler e = new TemporalEnsembler(3, 1, -1.0);
    float[] out = new float[1];
    e.add(0, new float[] {0, 1, 2});
    e.add(1, new float[] {10, 11, 12});
    e.add(2, new float[] {20, 21, 22});
    assertTrue(e.target(2, out));
    double w0 = 1;
    double w1 = Math.exp(1.0);
    double w2 = Math.exp(2.0);
    assertEquals((w0 * 2 + w1 * 11 + w2 * 20) / (w0 + w1 + w2), out[0], 1e-4);
    assertTrue(out[0] > 15, "closer to the newest prediction (20) than to the mean (11): " + out[0]);
  }

  @Test
  void zeroDecayIsThePlainMeanAndResetForgets() {
    TemporalEnsembler e = new TemporalEnsembler(2, 2, 0);
    float[] out = new float[2];
    e.add(5, new float[] {1, 2, 3, 4});
    e.add(6, new float[] {5, 6, 7, 8});
    assertTrue(e.target(6, out));
    assertArrayEquals(new float[] {4, 5}, out, 1e-6f);
    e.reset();
    assertFalse(e.target(6, out));
  }

  @Test
  void spreadIsTheStandardDeviationOfTheOverlappingPredictionsAveragedOverJoints() {
    TemporalEnsembler e = new TemporalEnsembler(3, 2, 0);
    e.add(0, new float[] {0, 0, 1, 1, 2, 2});
    assertEquals(0, e.spread(0), "one chunk: no spread");
    e.add(1, new float[] {1, 5, 9, 9, 9, 9}); // tick 1: joint 0 predicted 1 and 1, joint 1 predicted 1 and 5
    assertEquals((0 + 2) / 2.0, e.spread(1), 1e-9);
    e.add(2, new float[] {2, 2, 9, 9, 9, 9}); // tick 2: joint 0 predicted 2, 9, 2; joint 1 2, 9, 2
    double sd = Math.sqrt((2 * 2 * 2 + 9 * 9) / 3.0 - Math.pow(13 / 3.0, 2));
    assertEquals(sd, e.spread(2), 1e-6);
  }
}
