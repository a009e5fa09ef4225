package io.optimus.bridge.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.control.ControlLoop;
import io.optimus.bridge.testing.Await;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import io.optimus.bridge.control.TickTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SimulatedRobotTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final int TICKS = 120;

  /** Swings both arms on a schedule of its own ticks: the same targets whoever steps the robot. */
  static class Swing implements ActionSource {
    private final double[] home = RIG.home();
    private final int[] joints = {RIG.model().qIndex("right_elbow_joint"), RIG.model().qIndex("left_elbow_joint"),
        RIG.model().qIndex("right_shoulder_pitch_joint")};
    private long k;

    @Override
    public String name() {
      return "swing";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      System.arraycopy(home, 0, target, 0, target.length);
      double s = Math.sin(2 * Math.PI * k++ / 60.0);
      for (int j : joints) {
        target[j] = home[j] - 0.6 + 0.5 * s;
      }
      return true;
    }
  }

  /** JointStates by sequence. */
  static final class States implements ControlLoop.Output {
    final Map<Long, JointState> bySequence = new ConcurrentHashMap<>();

    @Override
    public void state(JointState s) {
      bySequence.put(s.getSequence(), s);
    }
  }

  static BridgeConfig config() {
    // Kinematic world: these tests are about the hosts and the loop, not the world, and it is the quicker one to
    // step. The bridge tests that keep the default run physics.
    return BridgeConfig.defaults("sim-bot").withRate(50).withCamera(0).withTask("pick-place", 7)
        .withWorld(SimulatedWorlds.KINEMATIC);
  }

  static SimulatedRobot robot(States out) {
    SimulatedRobot r = SimulatedRobot.builder(RIG, config()).output(out).build();
    r.loop().setSource(new Swing());
    return r;
  }

  /**
   * The wall-time host and the stepped host run the same {@code step}: stepped through the very clock readings
   * the wall-time loop ticked at (its missed ticks included, where dt spans the gap), the robot's trajectory is
   * the same to the last bit. Replaying the wall loop's stamps, rather than comparing against an ideal schedule,
   * keeps the comparison whole on a loaded machine.
   */
  @Test
  void steppedAndWallTimeHostsGiveTheSameTrajectory() {
    States wall = new States();
    long engagedNs;
    try (SimulatedRobot r = robot(wall)) {
      engagedNs = System.nanoTime();
      r.supervisor().engageUnattended(engagedNs, "test");
      r.start();
      Await.until(() -> r.loop().ticks() >= TICKS, 30_000, "the wall-time loop ticks");
      r.stop();
    }
    States stepped = new States();
    try (SimulatedRobot r = robot(stepped)) {
      r.supervisor().engageUnattended(engagedNs, "test");
      for (long seq = 1; seq <= TICKS; seq++) {
        JointState w = wall.bySequence.get(seq);
        assertNotNull(w, "wall-time tick " + seq);
        r.step(w.getStamp().getMonotonicNs());
      }
    }
    int elbow = RIG.model().qIndex("right_elbow_joint");
    double moved = 0;
    for (long seq = 1; seq <= TICKS; seq++) {
      JointState a = stepped.bySequence.get(seq);
      JointState b = wall.bySequence.get(seq);
      assertNotNull(a, "stepped tick " + seq);
      assertEquals(b.getStamp().getMonotonicNs(), a.getStamp().getMonotonicNs(), "stamp of tick " + seq);
      assertArrayEquals(a.getPositionList().stream().mapToDouble(Double::doubleValue).toArray(),
          b.getPositionList().stream().mapToDouble(Double::doubleValue).toArray(), 0.0, "measured joints at tick " + seq);
      assertArrayEquals(a.getCommandedPositionList().stream().mapToDouble(Double::doubleValue).toArray(),
          b.getCommandedPositionList().stream().mapToDouble(Double::doubleValue).toArray(), 0.0,
          "commanded joints at tick " + seq);
      moved = Math.max(moved, Math.abs(a.getPosition(elbow) - RIG.home()[elbow]));
    }
    assertTrue(moved > 0.05, "the arm swung (" + moved + " rad), so equal trajectories mean something");
  }

  @Test
  void steppedCamerasRenderAtTheirRateAndTheHeadFeedsTheLoop() {
    Map<String, AtomicInteger> frames = new ConcurrentHashMap<>();
    Map<String, String> sizes = new ConcurrentHashMap<>();
    BridgeConfig c = config().withCamera(10);
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, c).camera((f, kin, view) -> {
      frames.computeIfAbsent(f.getCameraName(), k -> new AtomicInteger()).incrementAndGet();
      sizes.put(f.getCameraName(), f.getWidth() + "x" + f.getHeight() + "/" + f.getData().size());
    }).build()) {
      ControlContext[] seen = new ControlContext[1];
      r.loop().setSource(new Swing() {
        @Override
        public void activate(ControlContext ctx) {
          seen[0] = ctx;
        }
      });
      long period = (long) (1e9 / c.controlRateHz());
      for (int k = 0; k < 50; k++) { // one simulated second at 50 Hz
        r.step(k * period);
      }
      assertEquals(Set.of("head", "left_wrist", "right_wrist"), frames.keySet());
      frames.forEach((name, n) -> assertEquals(10, n.get(), "10 Hz " + name + " camera over one simulated second"));
      assertEquals(10, r.cameraFrames());
      sizes.forEach((name, s) -> assertEquals("96x96/" + 96 * 96 * 3, s, name));
      assertEquals("head", seen[0].camera.getCameraName(), "policies see the head camera");
    }
  }

  @Test
  void aConfiguredWristCameraSizeIsWhatItsFramesHave() {
    RobotRig rig = RIG.withWristCamera(CameraSize.parse("--wrist-camera", "128x96", Math.toRadians(90)));
    Map<String, String> sizes = new ConcurrentHashMap<>();
    BridgeConfig c = config().withCamera(10);
    try (SimulatedRobot r = SimulatedRobot.builder(rig, c).camera((f, kin, view) ->
        sizes.put(f.getCameraName(), f.getWidth() + "x" + f.getHeight() + "/" + f.getData().size())).build()) {
      r.step(0);
      assertEquals(Map.of("head", "96x96/" + 96 * 96 * 3, "left_wrist", "128x96/" + 128 * 96 * 3,
          "right_wrist", "128x96/" + 128 * 96 * 3), sizes);
      assertEquals(3, r.description().getCamerasCount());
      assertEquals(128, r.description().getCameras(1).getWidth());
    }
    sizes.clear();
    try (SimulatedRobot r = SimulatedRobot.builder(RIG.withWristCamera(null), c).camera((f, kin, view) ->
        sizes.put(f.getCameraName(), f.getWidth() + "x" + f.getHeight())).build()) {
      r.step(0);
      assertEquals(Map.of("head", "96x96"), sizes, "wrist cameras off");
    }
  }

  /**
   * A wall-time loop hands its reports to its reporter thread: an output that blocks (an MQTT client whose lock
   * a preempted thread holds) holds up neither the ticks nor the stop, and once free it gets every report, in
   * tick order. Stepped, the output runs on the stepping thread, at once.
   */
  @Test
  void aBlockedOutputDoesNotHoldUpTheWallTimeLoop() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    List<Long> sequences = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    ControlLoop.Output out = new ControlLoop.Output() {
      @Override
      public void state(JointState s) {
        threads.add(Thread.currentThread().getName());
        if (s.getSequence() == 1) {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        sequences.add(s.getSequence());
      }
    };
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, config()).output(out).build()) {
      r.loop().setSource(new Swing());
      r.supervisor().engageUnattended(System.nanoTime(), "test");
      r.start();
      Await.until(() -> r.loop().ticks() >= 30, 20_000, () -> "ticks while the output is blocked in the first"
          + " state (" + r.loop().ticks() + " ticks)");
      assertTrue(sequences.isEmpty(), "the first state is still being delivered");
      release.countDown();
      Await.until(() -> sequences.size() >= 30, 20_000, "the reports after the blocked one");
      r.stop();
      assertEquals(0, r.loop().reportsDropped(), "a ring of a second's reports held them");
    }
    for (int i = 0; i < sequences.size(); i++) {
      assertEquals(i + 1, sequences.get(i), "reports in tick order, none lost");
    }
    assertFalse(threads.contains("control-sim-bot"), "reports are made off the control thread: " + threads);

    threads.clear();
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, config()).output(out).build()) {
      r.step(0);
      r.step(20_000_000L);
    }
    assertEquals(Set.of(Thread.currentThread().getName()), threads, "stepped: reports on the stepping thread");
  }

  /**
   * Each report carries the episode its tick began with ({@code attributeTo}), however late the reporter delivers
   * it, and {@code awaitReportedBy} returns once every tick begun before it is delivered: what a recording's stop
   * waits for. Stepped, reports carry it too, made at once.
   */
  @Test
  void reportsCarryTheEpisodeTheirTickBeganWith(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    EpisodeWriter w = EpisodeWriter.start(dir.resolve("e.mcap"), EpisodeHeader.newBuilder().setSchemaVersion(1)
        .setEpisodeId("e").build());
    CountDownLatch release = new CountDownLatch(1);
    Map<Long, Optional<EpisodeWriter>> episodes = new ConcurrentHashMap<>();
    ControlLoop.Output out = new ControlLoop.Output() {
      @Override
      public void state(JointState s, EpisodeWriter episode) {
        if (s.getSequence() == 1) {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        episodes.put(s.getSequence(), Optional.ofNullable(episode));
      }
    };
    long before;
    long detached;
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, config()).output(out).build()) {
      r.start();
      Await.until(() -> r.loop().ticks() >= 5, 20_000, "ticks while the reporter is held in the first state");
      before = r.loop().ticks();
      r.loop().attributeTo(w);
      Await.until(() -> r.loop().ticks() >= before + 10, 20_000, "ticks of the episode");
      detached = r.loop().ticks();
      r.loop().attributeTo(null);
      CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> r.loop().awaitReportedBy(System.nanoTime() + 20_000_000_000L));
      Await.until(() -> r.loop().ticks() >= detached + 5, 20_000, "ticks after the episode");
      assertFalse(awaited.isDone(), "waits for the held reports");
      release.countDown();
      assertTrue(awaited.get(30, TimeUnit.SECONDS));
      for (long k = 1; k <= detached; k++) {
        assertTrue(episodes.containsKey(k), "tick " + k + " reported before the wait ended");
      }
      r.stop();
    }
    for (var e : episodes.entrySet()) {
      long k = e.getKey();
      if (k <= before || k > detached + 1) {
        assertTrue(e.getValue().isEmpty(), "tick " + k + " began outside the episode");
      } else if (k >= before + 2 && k <= detached) {
        assertSame(w, e.getValue().orElse(null), "tick " + k + " began in the episode");
      } // before + 1 and detached + 1 may have been running as the episode changed
    }

    episodes.clear();
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, config()).output(out).build()) {
      r.step(0);
      r.loop().attributeTo(w);
      r.step(20_000_000L);
      assertTrue(r.loop().awaitReportedBy(System.nanoTime()), "stepped: nothing in flight");
    }
    assertEquals(Map.of(1L, Optional.empty(), 2L, Optional.of(w)), episodes);
    w.finish();
  }

  /** Every tick is timed per phase; a stepped tick has no schedule to be late for. */
  @Test
  void ticksAreTimedPerPhase() {
    States out = new States();
    try (SimulatedRobot r = robot(out)) {
      r.supervisor().engageUnattended(0, "test");
      long period = (long) (1e9 / config().controlRateHz());
      TickTimes.Snapshot before = r.loop().tickTimes().snapshot();
      for (int k = 0; k < 20; k++) {
        r.step(k * period);
      }
      TickTimes.Snapshot run = r.loop().tickTimes().snapshot().since(before);
      for (TickTimes.Phase p : List.of(TickTimes.Phase.READ, TickTimes.Phase.SOURCE, TickTimes.Phase.SAFETY,
          TickTimes.Phase.WRITE, TickTimes.Phase.WORLD, TickTimes.Phase.REPORT, TickTimes.Phase.TICK)) {
        assertEquals(20, run.count(p), p.key());
      }
      assertEquals(0, run.count(TickTimes.Phase.LATE), "stepped ticks are not paced");
      assertTrue(run.quantileMs(TickTimes.Phase.TICK, 0.5) >= run.quantileMs(TickTimes.Phase.WRITE, 0.5),
          "a tick takes at least its body's write: " + run.describe());
      assertTrue(run.describe().startsWith("read "), run.describe());
    }
  }

  @Test
  void theBridgeRunsASimulatedRobot() {
    try (RobotBridge b = RobotBridge.builder(RIG, config().withUnattended(true).withSource("command")).start()) {
      SimulatedRobot r = b.robot();
      assertSame(b.loop(), r.loop());
      assertSame(b.supervisor(), r.supervisor());
      assertSame(b.world(), r.objects());
      assertSame(b.body(), r.body());
      Await.until(() -> r.loop().ticks() > 5, 10_000, "the bridge's robot ticks in wall time");
    }
  }
}
