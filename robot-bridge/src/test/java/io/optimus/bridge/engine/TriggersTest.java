package io.optimus.bridge.engine;

import static io.optimus.bridge.engine.EngineRig.RIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.common.Stamps;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.SetActionSourceRequest;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per trigger (takeover: TakeoverTest), each on an unattended bridge over the embedded broker. */
class TriggersTest {
  static RobotBridge bridge(String robot, Path dir, EmbeddedBroker broker) {
    return RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withRecordDir(dir).withCamera(0).withUnattended(true)
        .withSource("command")).mqtt(MqttSettings.of(broker.url(), "unused")).start();
  }

  static ControlRequest.Builder req(String id) {
    return ControlRequest.newBuilder().setSchemaVersion(1).setRequestId(id);
  }

  static void record(RobotBridge b) {
    ControlReply r = b.handle(req("start").setStartRecording(StartRecordingRequest.getDefaultInstance()).build());
    assertTrue(r.getOk(), r.getMessage());
  }

  static Path stop(RobotBridge b, EpisodeOutcome o) {
    ControlReply r = b.handle(req("stop").setStopRecording(StopRecordingRequest.newBuilder().setOutcome(o)).build());
    assertTrue(r.getOk(), r.getMessage());
    b.flushClips();
    return Path.of(r.getEpisodePath());
  }

  static List<Clip> clips(Path dir, ClipTrigger t) {
    return ClipQueue.in(dir).list().stream().filter(c -> c.trigger() == t).toList();
  }

  @Test
  void sustainedAboveNeedsTheThresholdForTheMinimumDuration() {
    SustainedAbove s = new SustainedAbove(0.1, 0.3);
    long ms = 1_000_000L;
    assertNull(s.update(0, 0.2));
    assertNull(s.update(100 * ms, 0.2));
    assertNull(s.update(200 * ms, 0.05), "0.1 s above: too short, no span");
    assertNull(s.update(300 * ms, 0.1), "at the threshold is not above");
    assertNull(s.update(400 * ms, 0.3));
    assertNull(s.update(600 * ms, Double.NaN));
    assertNull(s.update(800 * ms, 0.2));
    SustainedAbove.Span span = s.update(900 * ms, 0.0);
    assertEquals(new SustainedAbove.Span(400 * ms, 800 * ms, Double.MAX_VALUE), span, "NaN counts as far above");
    assertNull(s.update(1000 * ms, 0.5));
    assertNull(s.end(), "an open span too short to keep");
  }

  @Test
  void policyUncertaintyAboveTheThresholdForLongEnoughCutsOneClip(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "trig-unc";
    try (RobotBridge b = bridge(robot, dir, broker);
        MqttEndpoint policy = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot))) {
      AtomicReference<JointState> state = new AtomicReference<>();
      policy.subscribe(Topics.state(robot), 0, JointState.parser(), (t, s) -> state.set(s));
      Await.until(() -> state.get() != null, 5000, "a state");
      assertTrue(b.handle(req("sh").setSetActionSource(SetActionSourceRequest.newBuilder().setSource("policy:unsure")
          .setShadow(true)).build()).getOk());
      record(b);
      // agrees with what is commanded throughout; unsure for 0.1 s (too short), then for 1 s
      publish(policy, robot, state, 300, 0.0);
      publish(policy, robot, state, 100, 0.2);
      publish(policy, robot, state, 300, 0.0);
      publish(policy, robot, state, 1000, 0.2);
      publish(policy, robot, state, 300, 0.0);
      Path ep = stop(b, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS);
      List<Clip> u = clips(dir, ClipTrigger.UNCERTAINTY);
      assertEquals(1, u.size(), u.toString());
      assertEquals(EngineRig.episodeId(ep), u.get(0).episodeId());
      assertTrue(u.get(0).durationS() > 0.7 && u.get(0).durationS() < 1.3, u.toString());
      assertEquals(0.2, u.get(0).score(), 1e-9);
      assertEquals(List.of(), clips(dir, ClipTrigger.DISAGREEMENT), "it agreed with the commands");
    }
  }

  /** Predicts what the newest state commanded, with {@code uncertainty}, at 50 Hz for {@code ms}. */
  static void publish(MqttEndpoint m, String robot, AtomicReference<JointState> state, long ms, double uncertainty) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      JointState s = state.get();
      m.publishStream(Topics.shadow(robot), ShadowPrediction.newBuilder().setSchemaVersion(1).setRobotId(robot)
          .setStamp(Stamps.now()).setStateSequence(s.getSequence()).addAllPosition(s.getCommandedPositionList())
          .setUncertainty(uncertainty).build());
      LockSupport.parkNanos(20_000_000L);
    }
  }

  @Test
  void aSafetyInterventionCutsOneClipForItsBurst(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "trig-safety";
    try (RobotBridge b = bridge(robot, dir, broker);
        MqttEndpoint commander = MqttEndpoint.connect(MqttSettings.of(broker.url(), "cmd-" + robot))) {
      record(b);
      LockSupport.parkNanos(300_000_000L);
      double[] q = RIG.home();
      q[3] = 50; // far outside any joint's limits: the supervisor rejects the target and holds
      JointCommand bad = JointCommand.newBuilder().setSchemaVersion(1).setRobotId(robot)
          .addAllPosition(java.util.Arrays.stream(q).boxed().toList()).build();
      long before = System.nanoTime();
      for (int i = 0; i < 25; i++) {
        commander.publishStream(Topics.command(robot), bad);
        LockSupport.parkNanos(20_000_000L);
      }
      Await.until(() -> b.supervisor().events().stream().anyMatch(
          e -> e.getType() == io.optimus.proto.v1.SafetyEventType.SAFETY_EVENT_INVALID_INPUT), 5000, "a rejected target");
      Path ep = stop(b, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS);
      List<Clip> s = clips(dir, ClipTrigger.SAFETY);
      assertEquals(1, s.size(), "one clip for the burst: " + s);
      Clip c = s.get(0);
      assertEquals(EngineRig.episodeId(ep), c.episodeId());
      assertTrue(c.detail().contains("INVALID_INPUT"), c.detail());
      assertTrue(c.endNs() >= before && c.durationS() == 2.0, c.toString());
    }
  }

  @Test
  void aFailedEpisodeIsClippedWholeAndNothingIsCutWhileNotRecording(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "trig-fail";
    try (RobotBridge b = bridge(robot, dir, broker)) {
      b.handle(req("e").setEstop(io.optimus.proto.v1.EstopRequest.newBuilder().setReason("test")).build());
      LockSupport.parkNanos(200_000_000L);
      b.flushClips();
      assertTrue(Files.notExists(dir.resolve(ClipQueue.FILE)), "no episode: no clip for the e-stop");
      record(b);
      LockSupport.parkNanos(500_000_000L);
      Path ok = stop(b, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS);
      record(b);
      LockSupport.parkNanos(500_000_000L);
      Path failed = stop(b, EpisodeOutcome.EPISODE_OUTCOME_FAILURE);
      List<Clip> f = clips(dir, ClipTrigger.TASK_FAILURE);
      assertEquals(1, f.size(), f.toString());
      Clip c = f.get(0);
      assertEquals(EngineRig.episodeId(failed), c.episodeId());
      assertTrue(!EngineRig.episodeId(ok).equals(c.episodeId()));
      List<JointState> states = EngineRig.states(failed);
      assertNotNull(states.get(0));
      assertEquals(states.get(0).getStamp().getMonotonicNs(), c.startNs(), 5_000_000L, "from the episode's first tick");
      assertEquals(states.get(states.size() - 1).getStamp().getMonotonicNs(), c.endNs(), 5_000_000L, "to its last");
    }
  }

  @Test
  void aFailedEpisodeEndedByClosingTheBridgeIsStillClipped(@TempDir Path dir) {
    EmbeddedBroker broker = Brokers.embedded();
    RobotBridge b = bridge("trig-close", dir, broker);
    try {
      record(b);
      LockSupport.parkNanos(300_000_000L);
      assertTrue(b.recorder().mark(EpisodeOutcome.EPISODE_OUTCOME_FAILURE, "dropped the cube"));
    } finally {
      b.close(); // finishes the episode; its listener runs after the clip writer has closed
    }
    Await.until(() -> clips(dir, ClipTrigger.TASK_FAILURE).size() == 1, 5000, "the failure clip");
  }
}
