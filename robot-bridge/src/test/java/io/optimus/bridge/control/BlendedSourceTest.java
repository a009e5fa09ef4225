package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A switch of source starts from the command in force and reaches the new source's target smoothly. */
class BlendedSourceTest {
  @Test
  void startsAtTheCommandInForceAndArrivesAtTheNewTargetAfterTheBlend() {
    double[] wanted = {1.0, -2.0};
    CommandActionSource inner = new CommandActionSource(2);
    inner.offer(io.optimus.proto.v1.JointCommand.newBuilder().addPosition(wanted[0]).addPosition(wanted[1]).build());
    BlendedSource s = new BlendedSource(inner, 0.5, 2);
    ControlContext ctx = new ControlContext();
    ctx.commanded = new double[] {0.0, 0.0};
    ctx.dt = 0.004;
    s.activate(ctx);
    double[] t = new double[2];
    double[] prev = ctx.commanded.clone();
    double biggest = 0;
    for (int k = 0; k < 125; k++) {
      assertTrue(s.target(ctx, t));
      biggest = Math.max(biggest, Math.abs(t[1] - prev[1]));
      if (k == 0) {
        assertTrue(Math.abs(t[1]) < 1e-3, "first tick barely moves: " + t[1]);
      }
      prev = t.clone();
    }
    assertArrayEquals(wanted, t, 1e-9);
    // smoothstep over 0.5 s: the largest step is 1.5x the mean one (2 rad / 125 ticks)
    assertEquals(1.5 * 2.0 / 125, biggest, 2e-3);
    assertEquals("command", s.name());
  }
}
