package io.optimus.teleop.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded scripted episode in the physics world, through the whole stepped pipeline (planner, operator
 * frames, the bridge's IK, safety, the Bullet world), replays bit for bit: the measured joints every
 * reported tick and the objects' poses every tick ({@link SteppedTaskRun.Episode#trajectory}) are the same
 * in a fresh robot after other robots and worlds ran in the same JVM, and in another JVM. What a researcher
 * needs to reproduce a seed of a dataset or an evaluation. (Stepped time only: the live bridge's ticks follow
 * the wall clock and the operator's frames arrive when the network delivers them.)
 */
class ScriptedDeterminismTest {
  /** Through the approach, the grasp and the lift of seed 1's cube. */
  static final double SECONDS = 8;

  static SteppedTaskRun.Episode run(String task, long seed) {
    return SteppedTaskRun.run(ScriptedTasksTest.RIG, ScriptedTasksTest.PROFILE, task, seed, SECONDS, true);
  }

  @Test
  void aSeededPhysicsEpisodeReplaysBitForBitAfterOtherEpisodesInTheJvm() {
    SteppedTaskRun.Episode first = run("pick-place", 1);
    SteppedTaskRun.Episode between = run("stack", 2);
    SteppedTaskRun.Episode again = run("pick-place", 1);
    assertEquals(first.toString(), again.toString());
    assertEquals(first.trajectory(), again.trajectory());
    assertNotEquals(first.trajectory(), between.trajectory());
    assertNotEquals(first.trajectory(), run("pick-place", 2).trajectory(), "the fingerprint sees another seed");
  }

  @Test
  void aSeededPhysicsEpisodeReplaysBitForBitInAnotherJvm() throws IOException, InterruptedException {
    String here = Main.line(run("pick-place", 1));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "pick-place", "1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try {
      assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the other JVM did not finish in 5 minutes");
      out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } finally {
      child.destroyForcibly();
    }
    assertEquals(0, child.exitValue(), "the other JVM failed: " + out);
    assertEquals(here, out.lines().reduce((a, b) -> b).orElse(""), "the other JVM's episode differs");
  }

  /** Runs one episode (task, seed) and prints its {@link #line}: the other JVM's side. */
  static final class Main {
    private Main() {
    }

    static String line(SteppedTaskRun.Episode e) {
      return String.format("%s seed %d trajectory %016x success %s", e.task(), e.seed(), e.trajectory(), e.success());
    }

    public static void main(String[] args) {
      System.out.println(line(run(args[0], Long.parseLong(args[1]))));
    }
  }
}
