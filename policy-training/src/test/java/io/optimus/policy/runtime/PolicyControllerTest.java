package io.optimus.policy.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.policy.PolicyMeta;
import io.optimus.policy.data.JointLayout;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.ChunkPredictor;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How the controller executes chunks: every tick (ensembled or newest), or open loop for n action steps. */
class PolicyControllerTest {
  /** Chunk number c (0, 1, ...) holds targets c * 100 + h for its action h: which chunk and action ran is visible. */
  static final class NumberedChunks implements ChunkPredictor {
    final int steps;
    int calls;

    NumberedChunks(int steps) {
      this.steps = steps;
    }

    @Override
    public Path run() {
      return Path.of("numbered");
    }

    @Override
    public PolicyMeta meta() {
      return new PolicyMeta("test", new JointLayout(List.of("j"), List.of("")), null, "none", 50, 0, false, 10,
          List.of(), List.of());
    }

    @Override
    public ObservationLayout layout() {
      return meta().layout();
    }

    @Override
    public double ensembleDecay() {
      return 0;
    }

    @Override
    public int actionSteps() {
      return steps;
    }

    @Override
    public void predict(float[] q, float[] dq, ObservationLayout.QHistory past, float[] imageInput, float[] chunkOut) {
      for (int h = 0; h < chunkOut.length; h++) {
        chunkOut[h] = calls * 100 + h;
      }
      calls++;
    }

    @Override
    public void close() {}
  }

  static float[] run(PolicyController c, int ticks) {
    float[] out = new float[ticks];
    float[] t = new float[1];
    for (int k = 0; k < ticks; k++) {
      c.step(new float[1], new float[1], null, t);
      out[k] = t[0];
    }
    return out;
  }

  @Test
  void nActionStepsExecuteEachChunkOpenLoopThenAskAgain() {
    NumberedChunks p = new NumberedChunks(4);
    float[] targets = run(new PolicyController(p, true), 10);
    assertArrayEquals(new float[] {0, 1, 2, 3, 100, 101, 102, 103, 200, 201}, targets);
    assertEquals(3, p.calls, "one prediction per 4 ticks");
    PolicyController again = new PolicyController(p, true);
    again.reset();
    assertEquals(300, run(again, 1)[0], "a new episode starts with a fresh chunk");
  }

  @Test
  void withoutActionStepsEveryTickPredictsAndTheNewestChunkLeads() {
    NumberedChunks p = new NumberedChunks(0);
    float[] targets = run(new PolicyController(p, false), 3);
    assertArrayEquals(new float[] {0, 100, 200}, targets);
    assertEquals(3, p.calls);
  }
}
