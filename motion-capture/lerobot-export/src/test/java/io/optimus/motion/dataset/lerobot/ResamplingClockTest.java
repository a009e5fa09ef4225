package io.optimus.motion.dataset.lerobot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The export's time grid decides in integers, also where 1/fps is not a whole number of ns. */
class ResamplingClockTest {
  static final long START = 1_750_000_000_123_456_789L;

  @Test
  void aSampleBelongsToTheFirstTickAtOrAfterIt() {
    ResamplingClock c = new ResamplingClock(START, 30); // tick 10 is at START + 333,333,333.3 ns
    assertTrue(c.atOrBefore(START + 333_333_333L, 10));
    assertFalse(c.atOrBefore(START + 333_333_334L, 10));
    assertTrue(c.atOrBefore(START + 333_333_334L, 11));
    assertTrue(c.atOrBefore(START, 0));
    assertFalse(c.atOrBefore(START + 1, 0));
  }

  @Test
  void ticksRunFromTheStartToTheLastSampleInclusive() {
    assertEquals(31, new ResamplingClock(START, 30).ticksUntil(START + 1_000_000_000L)); // 0 .. 1 s
    assertEquals(30, new ResamplingClock(START, 30).ticksUntil(START + 999_999_999L));
    assertEquals(1, new ResamplingClock(START, 50).ticksUntil(START + 19_999_999L));
    assertEquals(2, new ResamplingClock(START, 50).ticksUntil(START + 20_000_000L));
    assertEquals(90_001, new ResamplingClock(START, 50).ticksUntil(START + 1_800_000_000_000L)); // half an hour
  }
}
