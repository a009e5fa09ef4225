package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.body.BodyState;
import io.optimus.bridge.body.RobotBody;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.body.SimulatedBody;
import io.optimus.bridge.testing.Await;
import io.optimus.common.InputException;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy and replay action sources on an in-process (no MQTT) unattended simulated bridge. */
class ActionSourcesTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final int ELBOW = RIG.model().qIndex("right_elbow_joint");

  /** Bends the right elbow to -1.0 rad, counting how many observations carried an image. */
  static final class ElbowPolicy implements Policy {
    final AtomicInteger withImage = new AtomicInteger();

    @Override
    public String name() {
      return "elbow";
    }

    @Override
    public double rateHz() {
      return 30;
    }

    @Override
    public void act(PolicyObservation o, double[] out) {
      if (o.camera() != null && o.camera().getData().size() == 96 * 96 * 3) {
        withImage.incrementAndGet();
      }
      double[] home = RIG.home();
      System.arraycopy(home, 0, out, 0, out.length);
      out[ELBOW] = -1.0;
    }
  }

  static ControlRequest source(String s) {
    return ControlRequest.newBuilder().setRequestId(s)
        .setSetActionSource(SetActionSourceRequest.newBuilder().setSource(s)).build();
  }

  static double elbow(RobotBridge b) {
    return ((SimulatedBody) b.body()).positions()[ELBOW];
  }

  @Test
  void aPolicyDrivesTheRobotAndItsRecordingReplays(@TempDir Path dir) {
    ElbowPolicy policy = new ElbowPolicy();
    // Kinematic world: the elbow must reach the policy's angle exactly and the replay must match the recording,
    // while in physics the table stops the hanging forearm short of it.
    BridgeConfig cfg = BridgeConfig.defaults("p1").withUnattended(true).withSource("command").withRecordDir(dir)
        .withWorld(SimulatedWorlds.KINEMATIC);
    try (RobotBridge b = RobotBridge.builder(RIG, cfg).policy("elbow", () -> policy).replayDir(dir).start()) {
      ControlReply bad = b.handle(source("policy:nope"));
      assertFalse(bad.getOk());
      assertTrue(bad.getMessage().contains("elbow"), bad.getMessage());
      ControlReply start = b.handle(ControlRequest.newBuilder().setRequestId("s")
          .setStartRecording(StartRecordingRequest.getDefaultInstance()).build());
      assertTrue(start.getOk(), start.getMessage());
      long recordingSince = System.nanoTime();
      assertTrue(b.handle(source("policy:elbow")).getOk());
      Await.until(() -> Math.abs(elbow(b) + 1.0) < 0.01, 5000, () -> "elbow at -1.0, is " + elbow(b));
      assertEquals(ControlMode.CONTROL_MODE_ENGAGED, b.supervisor().mode());
      Await.until(() -> policy.withImage.get() > 0, 3000, "an observation with a camera image");
      // a fast machine gets there in under 0.3 s: keep recording long enough for the replay below
      Await.until(() -> System.nanoTime() - recordingSince > 600_000_000L, 3000, "0.6 s of recording");
      ControlReply stop = b.handle(ControlRequest.newBuilder().setRequestId("t")
          .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS))
          .build());
      assertTrue(stop.getOk(), stop.getMessage());
      Path episode = Path.of(stop.getEpisodePath());

      // replay: back home first, then the recorded motion plays again
      ReplayActionSource replay = ReplayActionSource.fromEpisode(episode, RIG.dof());
      assertTrue(replay.durationS() > 0.3, "recorded " + replay.durationS() + " s");
      assertTrue(b.handle(source("command")).getOk());
      b.supervisor().resync(RIG.home());
      String id = episode.getFileName().toString().replace(".mcap", "");
      ControlReply replayed = b.handle(source("replay:" + id));
      assertTrue(replayed.getOk(), replayed.getMessage());
      assertTrue(b.loop().source().name().startsWith("replay:"));
      Await.until(() -> Math.abs(elbow(b) + 1.0) < 0.02, 5000, () -> "replayed elbow at -1.0, is " + elbow(b));
    }
  }

  @Test
  void unattendedIsForSimulatedBodiesOnlyAndBadEpisodesAreNamed(@TempDir Path dir) {
    RobotDescription d = RIG.describe("hw", 250, 0);
    SimulatedBody sim = new SimulatedBody(d, RIG.home());
    RobotBody hardware = new RobotBody() { // stands for a real driver
      @Override
      public RobotDescription describe() {
        return d;
      }

      @Override
      public void read(long nowNs, BodyState out) {
        sim.read(nowNs, out);
      }

      @Override
      public void write(long nowNs, double[] position, double[] velocity, double[] effort) {
        sim.write(nowNs, position, velocity, effort);
      }
    };
    InputException e = assertThrows(InputException.class, () -> RobotBridge.builder(RIG,
        BridgeConfig.defaults("hw").withUnattended(true).withSource("command")).body(hardware).start());
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    InputException missing = assertThrows(InputException.class,
        () -> ReplayActionSource.fromEpisode(dir.resolve("none.mcap"), RIG.dof()));
    assertTrue(missing.getMessage().contains("none.mcap"), missing.getMessage());
  }
}
