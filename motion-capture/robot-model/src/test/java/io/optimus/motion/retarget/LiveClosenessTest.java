package io.optimus.motion.retarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.OperatorFrame;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LiveClosenessTest {
  private static final RobotModel OPTIMUS = Robots.load("optimus");

  @Test
  void statisticsAreMocapRetargetsDefinitions() {
    double[] p = {0.01, 0.02, 0.05, 0.01, 0.04};
    double[] r = {1, 20, 2, 3, 4};
    Closeness c = Closeness.of(p, r, 5, new double[5]);
    assertEquals(5, c.samples());
    assertEquals(0.026, c.positionMeanM(), 1e-12);
    assertEquals(0.04, c.positionP95M(), 1e-12, "floor(0.95 * 4) = 3rd of the sorted samples");
    assertEquals(0.05, c.positionMaxM(), 1e-12);
    assertEquals(6, c.orientationMeanDeg(), 1e-12);
    assertEquals(20, c.orientationMaxDeg(), 1e-12);
    assertEquals(0.4, c.withinShare(), 1e-12, "0.01/1 and 0.01/3 are within 3 cm and 10 deg; 0.02/20 is not");
    assertEquals(0.01, p[0], 0, "samples left in place");
    assertNull(Closeness.of(p, r, 0, new double[5]));
  }

  @Test
  void theWindowKeepsTheNewestSamples() {
    LiveCloseness m = new LiveCloseness();
    double[] p = new double[2 * LiveSegment.COUNT];
    double[] r = new double[2 * LiveSegment.COUNT];
    Arrays.fill(p, Double.NaN);
    Arrays.fill(r, Double.NaN);
    int u = 2 * LiveSegment.UPPER_ARMS.ordinal();
    for (int i = 0; i < LiveCloseness.WINDOW; i++) {
      p[u] = 1; // old, far
      r[u] = 1;
      m.add(p, r);
    }
    for (int i = 0; i < LiveCloseness.WINDOW; i++) {
      p[u] = 0.01;
      m.add(p, r);
    }
    Closeness c = m.summary(LiveSegment.UPPER_ARMS);
    assertEquals(LiveCloseness.WINDOW, c.samples());
    assertEquals(0.01, c.positionMaxM(), 1e-12, "the old samples rolled out");
    assertNull(m.summary(LiveSegment.SHINS), "no samples: no figures");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void followingTheSyntheticOperatorIsCloseAndMeasuringDoesNotAllocate() {
    OperatorRetargeter r = new OperatorRetargeter(OPTIMUS);
    LiveCloseness meter = new LiveCloseness();
    int n = 600;
    OperatorFrame[] frames = new OperatorFrame[n];
    BodyTargets[] bodies = new BodyTargets[n];
    for (int i = 0; i < n; i++) {
      frames[i] = SyntheticOperator.frame(i + 1, i * 0.01, OperatorBody.DEFAULT, false);
      bodies[i] = SyntheticOperator.body(i * 0.01, OperatorBody.DEFAULT, 1, new BodyTargets());
    }
    double[] q = r.homePosture();
    double[] out = new double[q.length];
    long allocated = 0;
    for (int round = 0; round < 2; round++) {
      meter.clear();
      long a0 = allocatedBytes();
      for (int i = 0; i < n; i++) {
        r.retarget(frames[i], bodies[i], 0.01, q, out);
        r.measureCloseness(bodies[i], meter);
        System.arraycopy(out, 0, q, 0, q.length);
      }
      allocated = allocatedBytes() - a0; // the second round, warm
    }
    assertTrue(allocated < 4096, "retarget + measure allocated " + allocated + " bytes in " + n + " frames");
    assertEquals(n, meter.frames());
    for (LiveSegment s : new LiveSegment[] {LiveSegment.HEAD, LiveSegment.TORSO, LiveSegment.UPPER_ARMS,
        LiveSegment.FOREARMS, LiveSegment.HANDS, LiveSegment.THIGHS, LiveSegment.SHINS}) {
      assertNotNull(meter.summary(s), s.key());
    }
    Closeness upper = meter.summary(LiveSegment.UPPER_ARMS);
    Closeness hands = meter.summary(LiveSegment.HANDS);
    assertTrue(upper.positionMeanM() < 0.05 && upper.orientationMeanDeg() < 20, "upper arms " + upper);
    assertTrue(hands.positionMeanM() < 0.05, "hands " + hands);
  }
}
