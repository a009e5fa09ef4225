package io.optimus.bridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.proto.v1.GroupDisagreement;
import io.optimus.proto.v1.ShadowSample;
import io.optimus.proto.v1.ShadowSummary;
import io.optimus.proto.v1.Timestamp;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ShadowSummarizerTest {
  private static ShadowSample sample(long tick, double d) {
    return ShadowSample.newBuilder().setTick(tick).setSource("policy:p").setDisagreement(d).setUncertainty(0.1)
        .setStamp(Timestamp.newBuilder().setMonotonicNs(tick * 4_000_000L))
        .addGroups(GroupDisagreement.newBuilder().setGroup("left_arm").setMeanAbs(d).setMaxAbs(2 * d))
        .addGroups(GroupDisagreement.newBuilder().setGroup("waist").setMeanAbs(0).setMaxAbs(0)).build();
  }

  @Test
  void aSummaryPerWindowOfAtLeast100MsWithMeansAndMaxima() {
    ShadowSummarizer z = new ShadowSummarizer("r1");
    ShadowSample[] s = new ShadowSample[1000];
    for (int i = 0; i < s.length; i++) { // 250 Hz, 4 s; disagreement alternating 0.2 / 0.4
      s[i] = sample(i, i % 2 == 0 ? 0.2 : 0.4);
    }
    for (int i = 0; i < 25; i++) {
      assertNull(z.add(s[i]), "tick " + i + " is within the first 100 ms");
    }
    ShadowSummary first = z.add(s[25]); // 0..100 ms: 26 samples
    assertNotNull(first);
    assertEquals(26, first.getSamples());
    assertEquals(0.3, first.getDisagreement(), 1e-9);
    assertEquals(0.4, first.getDisagreementMax(), 1e-12);
    assertEquals(0.3, first.getGroups(0).getMeanAbs(), 1e-9);
    assertEquals(0.8, first.getGroups(0).getMaxAbs(), 1e-12);
    assertEquals("waist", first.getGroups(1).getGroup());
    assertEquals(25, first.getTick());
    assertEquals(0.1, first.getUncertainty(), 1e-12);
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int summaries = 1;
    long allocatedBetween = 0;
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 26; i < s.length; i++) {
      if (z.add(s[i]) != null) {
        summaries++;
        allocatedBetween = mx.getCurrentThreadAllocatedBytes() - before; // up to the newest summary
      }
    }
    assertTrue(summaries <= 4 * 10, summaries + " summaries in 4 s");
    assertTrue(summaries >= 35, summaries + " summaries in 4 s");
    assertTrue(allocatedBetween < summaries * 4096L, "only the summaries allocate: " + allocatedBetween + " bytes");
  }

  @Test
  void aGapDropsThePartialWindow() {
    ShadowSummarizer z = new ShadowSummarizer("r1");
    for (int i = 0; i < 20; i++) {
      z.add(sample(i, 1.0));
    }
    z.reset();
    for (int i = 100; i < 125; i++) {
      assertNull(z.add(sample(i, 0.1)));
    }
    ShadowSummary s = z.add(sample(125, 0.1));
    assertEquals(26, s.getSamples());
    assertEquals(0.1, s.getDisagreementMax(), 1e-12, "nothing of before the gap");
  }
}
