package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scripted success rates over 50 seeds per task in stepped time through the real pipeline (minutes:
 * tagged long). {@code -Dscripted.world=physics} runs them in the Bullet physics world, where the
 * figures are reported, not asserted; {@code -Dscripted.tasks=stack,handover} picks tasks.
 */
@Tag("long")
class ScriptedTasksSuccessRateTest {
  @Test
  void fiftySeedsPerTask() {
    boolean physics = "physics".equals(System.getProperty("scripted.world", "kinematic"));
    int seeds = Integer.getInteger("scripted.seeds", 50);
    StringBuilder report = new StringBuilder();
    boolean allMet = true;
    for (String task : System.getProperty("scripted.tasks", "pick-place,stack,handover").split(",")) {
      int ok = 0;
      for (long s = 1; s <= seeds; s++) {
        SteppedTaskRun.Episode e = SteppedTaskRun.run(ScriptedTasksTest.RIG, ScriptedTasksTest.PROFILE, task, s, 45, physics);
        System.out.println(e);
        ok += e.success() ? 1 : 0;
      }
      String line = String.format(Locale.ROOT, "%s world, %s: %d/%d succeeded (%.0f%%)", physics ? "physics" : "kinematic",
          task, ok, seeds, 100.0 * ok / seeds);
      System.out.println(line);
      report.append(line).append('\n');
      allMet &= ok >= Math.ceil(0.85 * seeds);
    }
    System.out.print(report);
    if (!physics) {
      assertTrue(allMet, "at least 85% per task in the kinematic world:\n" + report);
    }
  }
}
