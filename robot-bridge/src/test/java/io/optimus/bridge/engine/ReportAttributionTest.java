package io.optimus.bridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.FrameDrop;
import io.optimus.bridge.control.FrameDropCounter;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.JointState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wall-time bridge hands its ticks' reports to the loop's reporter thread, which records them and shows them
 * to the data engine later than the tick, by as much as that thread is held up (CI's 2 loaded cores: up to a
 * second). Here it is held up for certain: the test holds the lock of the bridge's refused-frame counter, which the
 * reporter takes as it delivers a safety status after a frame was refused (a real lock on the reporter's path,
 * as Paho's queue lock is live). Across a recording's start and stop, an episode must hold exactly the ticks that
 * began while it recorded, none lost, and the failure clip span exactly them.
 */
class ReportAttributionTest {
  @Test
  void anEpisodeHoldsExactlyItsTicksHoweverLateTheirReportsAreDelivered(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "attribution";
    try (RobotBridge b = TriggersTest.bridge(robot, dir, broker)) {
      Thread reporter = thread("control-report-" + robot);
      FrameDropCounter counter = b.frameDrops();
      Await.until(() -> b.loop().ticks() >= 50, 20_000, "the loop ticking");
      long beforeStart;
      long afterStart;
      synchronized (counter) {
        holdReporter(counter, reporter);
        long held = b.loop().ticks();
        Await.until(() -> b.loop().ticks() >= held + 25, 20_000, "ticks queued behind the held reporter");
        beforeStart = b.loop().ticks(); // ticks already counted began before the start: not in the episode
        TriggersTest.record(b);
        afterStart = b.loop().ticks();
        Await.until(() -> b.loop().ticks() >= afterStart + 25, 20_000, "ticks recorded behind the held reporter");
      } // released: the reporter delivers the ticks from before the start and after it
      Await.until(() -> b.loop().ticks() >= afterStart + 75, 20_000, "the loop ticking");
      long beforeStop;
      CompletableFuture<Path> stopped;
      boolean stopWaited;
      synchronized (counter) {
        holdReporter(counter, reporter);
        beforeStop = b.loop().ticks(); // ticks already counted began before the stop: in the episode
        stopped = CompletableFuture.supplyAsync(() -> TriggersTest.stop(b, EpisodeOutcome.EPISODE_OUTCOME_FAILURE));
        Await.until(() -> b.loop().ticks() >= beforeStop + 25, 20_000, "ticks while the stop waits");
        stopWaited = !stopped.isDone();
      }
      Path episode = stopped.get(30, TimeUnit.SECONDS);
      long afterStop = b.loop().ticks();

      List<JointState> states = EngineRig.states(episode);
      long first = states.get(0).getSequence();
      long last = states.get(states.size() - 1).getSequence();
      assertTrue(first > beforeStart, "no tick that began before the start is in the episode: first " + first
          + ", ticks before the start " + beforeStart);
      assertTrue(first <= afterStart + 2, "the first tick that began after the start is: first " + first
          + ", ticks when the start returned " + afterStart);
      assertTrue(last >= beforeStop && last <= afterStop, "every tick that began before the stop is in the episode:"
          + " last " + last + ", ticks before the stop " + beforeStop + ", after " + afterStop);
      for (int i = 0; i < states.size(); i++) {
        assertEquals(first + i, states.get(i).getSequence(), "every tick's state in between, in order, once");
      }
      assertTrue(stopWaited, "the stop waited for the reports of the episode's last ticks");

      List<Clip> failures = TriggersTest.clips(dir, ClipTrigger.TASK_FAILURE);
      assertEquals(1, failures.size(), failures.toString());
      Clip c = failures.get(0);
      assertEquals(EngineRig.episodeId(episode), c.episodeId());
      assertEquals(states.get(0).getStamp().getMonotonicNs(), c.startNs(), "the data engine saw the same first tick");
      assertEquals(states.get(states.size() - 1).getStamp().getMonotonicNs(), c.endNs(), "and the same last one");
    }
  }

  /**
   * Refuses a frame (so the next safety status the reporter delivers takes the counter's lock, which the caller
   * holds) and waits until the reporter is blocked on it.
   */
  private static void holdReporter(FrameDropCounter counter, Thread reporter) {
    counter.count(FrameDrop.INVALID, "test: holds the loop's reporter", System.nanoTime());
    Await.until(() -> reporter.getState() == Thread.State.BLOCKED && java.util.Arrays.stream(reporter.getStackTrace())
        .anyMatch(f -> f.getMethodName().equals("reportDue")), 20_000, () -> "the reporter blocked on the counter, "
        + reporter.getState());
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + name));
  }
}
