package io.optimus.bridge.engine;

import static io.optimus.bridge.engine.EngineRig.ELBOW;
import static io.optimus.bridge.engine.EngineRig.RIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.common.Stamps;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.GroupDisagreement;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.ShadowSample;
import io.optimus.proto.v1.ShadowSummary;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy in shadow beside a human operator, over a real broker, recorded into a real episode. */
class ShadowModeTest {
  /** Home plus 0.6 rad on every joint (clamped by the bridge): far from anything the human commands. */
  static ShadowPrediction far(String robot, long seq, double uncertainty) {
    ShadowPrediction.Builder p = ShadowPrediction.newBuilder().setSchemaVersion(1).setRobotId(robot).setSequence(seq)
        .setStamp(Stamps.now()).setSource("policy:far").setUncertainty(uncertainty);
    for (double q : RIG.home()) {
      p.addPosition(q + 0.6);
    }
    return p.build();
  }

  @Test
  void theShadowIsRecordedEveryTickBesideTheHumanAndNeverActuates(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "shadow1";
    try (RobotBridge b = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withRecordDir(dir).withCamera(0))
            .mqtt(MqttSettings.of(broker.url(), "unused")).retargeter(EngineRig.TRIGGER_TO_ELBOW).start();
        MqttEndpoint opLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-" + robot));
        MqttEndpoint policyLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot));
        EngineRig.Requests req = new EngineRig.Requests(policyLink, robot)) {
      AtomicReference<BridgeStatus> status = new AtomicReference<>();
      policyLink.subscribe(Topics.status(robot), 1, BridgeStatus.parser(), (t, s) -> status.set(s));
      EngineRig.Streaming op = new EngineRig.Streaming(new Operator(opLink, robot)).engage(0.5f);
      Await.until(() -> Math.abs(b.loop().source() == null ? 1 : elbowCommand(b) + 0.75) < 0.01, 5000,
          "human drives the elbow to -0.75");
      ControlReply rec = req.send(ControlRequest.newBuilder().setStartRecording(StartRecordingRequest.getDefaultInstance()));
      assertTrue(rec.getOk(), rec.getMessage());
      assertFalse(req.shadow("not a policy").getOk(), "a malformed shadow name is refused");
      ControlReply on = req.shadow("policy:far");
      assertTrue(on.getOk(), on.getMessage());
      Await.until(() -> status.get() != null && status.get().getShadow().equals("policy:far")
          && !status.get().getEpisodeId().isEmpty(), 5000, "presence names the shadow and the episode");

      AtomicBoolean run = new AtomicBoolean(true);
      Thread shadow = Thread.ofPlatform().start(() -> {
        for (long s = 1; run.get(); s++) {
          policyLink.publishStream(Topics.shadow(robot), far(robot, s, 0));
          LockSupport.parkNanos(20_000_000L);
        }
      });
      try {
        LockSupport.parkNanos(1_500_000_000L);
      } finally {
        run.set(false);
        shadow.join();
      }
      ControlReply stop = req.send(ControlRequest.newBuilder().setStopRecording(StopRecordingRequest.getDefaultInstance()));
      assertTrue(stop.getOk(), stop.getMessage());
      op.close();
      b.flushClips();
      Path episode = Path.of(stop.getEpisodePath());
      String id = EngineRig.episodeId(episode);

      List<ShadowSample> samples = EngineRig.frames(episode, ShadowMonitor.TOPIC).stream()
          .map(f -> f.as(ShadowSample.class)).toList();
      assertTrue(samples.size() > 100, samples.size() + " shadow samples in 1.5 s at 250 Hz");
      Map<Long, JointState> states = new HashMap<>();
      EngineRig.states(episode).forEach(s -> states.put(s.getSequence(), s));
      Set<Long> ticks = samples.stream().map(ShadowSample::getTick).collect(Collectors.toSet());
      long first = samples.get(0).getTick();
      long last = samples.get(samples.size() - 1).getTick();
      for (long t = first; t <= last; t++) {
        assertTrue(ticks.contains(t) || !states.containsKey(t), "tick " + t + " has a state but no shadow sample");
      }
      double[] human = EngineRig.human(0.5, new double[RIG.dof()]);
      for (ShadowSample s : samples) {
        assertEquals(id, s.getEpisodeId());
        assertEquals("policy:far", s.getSource());
        JointState st = states.get(s.getTick());
        assertEquals(st.getCommandedPositionList(), s.getCommandedPositionList(), "compared with what was commanded");
        for (int i = 0; i < RIG.dof(); i++) {
          assertEquals(human[i], st.getCommandedPosition(i), 1e-3,
              "tick " + s.getTick() + ": joint " + i + " commanded as the human said, not as the shadow said");
        }
        assertTrue(s.getDisagreement() > 0.3, "disagreement " + s.getDisagreement());
        Map<String, Double> g = s.getGroupsList().stream()
            .collect(Collectors.toMap(GroupDisagreement::getGroup, GroupDisagreement::getMeanAbs));
        assertTrue(g.keySet().containsAll(List.of("left_arm", "right_arm", "waist")), g.keySet().toString());
        assertTrue(g.get("left_arm") > 0.3, g.toString());
      }
      List<Clip> clips = ClipQueue.in(dir).list();
      Clip c = clips.stream().filter(x -> x.trigger() == ClipTrigger.DISAGREEMENT).findFirst().orElseThrow(
          () -> new AssertionError("no disagreement clip in " + clips));
      assertEquals(id, c.episodeId());
      assertTrue(c.score() > 0.3 && c.durationS() > 1.0, c.toString());
      assertTrue(clips.stream().noneMatch(x -> x.trigger() == ClipTrigger.UNCERTAINTY), "no spread: no uncertainty clip");
    }
  }

  /** People watch the disagreement live on shadow/sample: a summary per >= 100 ms window, overall and per group. */
  @Test
  void theLiveSummaryReachesWatchersAtMostTenTimesASecond() throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "shadow-live";
    try (RobotBridge b = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withCamera(0))
            .mqtt(MqttSettings.of(broker.url(), "unused")).retargeter(EngineRig.TRIGGER_TO_ELBOW).start();
        MqttEndpoint opLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-" + robot));
        MqttEndpoint policyLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot));
        MqttEndpoint watcher = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-" + robot));
        EngineRig.Requests req = new EngineRig.Requests(policyLink, robot)) {
      List<ShadowSummary> live = new java.util.concurrent.CopyOnWriteArrayList<>();
      watcher.subscribe(Topics.shadowSample(robot), 0, ShadowSummary.parser(), (t, s) -> live.add(s));
      EngineRig.Streaming op = new EngineRig.Streaming(new Operator(opLink, robot)).engage(0.5f);
      assertTrue(req.shadow("policy:far").getOk());
      AtomicBoolean run = new AtomicBoolean(true);
      Thread shadow = Thread.ofPlatform().start(() -> {
        for (long s = 1; run.get(); s++) {
          policyLink.publishStream(Topics.shadow(robot), far(robot, s, 0.02));
          LockSupport.parkNanos(20_000_000L);
        }
      });
      long start = System.nanoTime();
      try {
        Await.until(() -> live.size() >= 8, 10_000, () -> "live summaries: " + live.size());
      } finally {
        run.set(false);
        shadow.join();
        op.close();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(live.size() <= 10 * seconds + 2, live.size() + " summaries in " + seconds + " s");
      for (int i = 1; i < live.size(); i++) {
        long gap = live.get(i).getStamp().getMonotonicNs() - live.get(i - 1).getStamp().getMonotonicNs();
        assertTrue(gap >= ShadowSummarizer.PERIOD_NS, "summaries " + gap / 1e6 + " ms apart");
      }
      ShadowSummary s = live.get(live.size() - 1);
      assertEquals(robot, s.getRobotId());
      assertEquals("policy:far", s.getSource());
      assertTrue(s.getSamples() >= 5, "a window of ticks: " + s.getSamples());
      assertTrue(s.getDisagreement() > 0.3 && s.getDisagreementMax() >= s.getDisagreement(), s.toString());
      assertEquals(0.02, s.getUncertainty(), 1e-9);
      Map<String, GroupDisagreement> g = s.getGroupsList().stream()
          .collect(Collectors.toMap(GroupDisagreement::getGroup, x -> x));
      assertTrue(g.get("left_arm").getMeanAbs() > 0.3 && g.get("left_arm").getMaxAbs() >= g.get("left_arm").getMeanAbs(),
          g.toString());
      assertTrue(b.shadowSamples() >= 5L * live.size(), "every tick is still sampled for the recording");
    }
  }

  static double elbowCommand(RobotBridge b) {
    double[] q = new double[RIG.dof()];
    b.supervisor().commanded(q, null);
    return q[ELBOW];
  }

  @Test
  void badOrUnaskedPredictionsAreDroppedAndOffStopsTheShadow(@TempDir Path dir) {
    String robot = "shadow2";
    try (RobotBridge b = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withRecordDir(dir).withCamera(0)
        .withUnattended(true).withSource("command")).start()) {
      b.offerShadowPrediction(far(robot, 1, 0));
      LockSupport.parkNanos(100_000_000L);
      assertEquals(0, b.shadowSamples(), "no shadow asked for: nothing recorded");
      assertTrue(b.handle(ControlRequest.newBuilder().setRequestId("s").setSetActionSource(
          io.optimus.proto.v1.SetActionSourceRequest.newBuilder().setSource("policy:x").setShadow(true)).build()).getOk());
      ShadowPrediction good = far(robot, 2, 0);
      for (ShadowPrediction bad : List.of(good.toBuilder().setPosition(3, Double.NaN).build(),
          good.toBuilder().clearPosition().addAllPosition(good.getPositionList().subList(1, RIG.dof())).build(), good.toBuilder().setRobotId("other").build(),
          good.toBuilder().setUncertainty(Double.NaN).build(), good.toBuilder().setUncertainty(-1).build())) {
        b.offerShadowPrediction(bad);
      }
      LockSupport.parkNanos(100_000_000L);
      assertEquals(0, b.shadowSamples(), "NaN, short, foreign, bad uncertainty: all dropped");
      b.offerShadowPrediction(good);
      Await.until(() -> b.shadowSamples() > 0, 3000, "a good prediction is sampled");
      assertTrue(b.handle(ControlRequest.newBuilder().setRequestId("o").setSetActionSource(
          io.optimus.proto.v1.SetActionSourceRequest.newBuilder().setSource("off").setShadow(true)).build()).getOk());
      LockSupport.parkNanos(50_000_000L); // a tick under way when it was turned off finishes
      long n = b.shadowSamples();
      b.offerShadowPrediction(good);
      LockSupport.parkNanos(100_000_000L);
      assertEquals(n, b.shadowSamples(), "shadow off: nothing more");
    }
  }

  @Test
  void garbageTruncatedAndHugePayloadsOnTheShadowTopicAreDroppedAndTheShadowGoesOn() {
    EmbeddedBroker broker = Brokers.embedded();
    String robot = "shadow3";
    try (RobotBridge b = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withCamera(0).withUnattended(true)
            .withSource("command")).mqtt(MqttSettings.of(broker.url(), "unused")).start();
        MqttEndpoint policy = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot))) {
      assertTrue(b.handle(ControlRequest.newBuilder().setRequestId("s").setSetActionSource(
          io.optimus.proto.v1.SetActionSourceRequest.newBuilder().setSource("policy:x").setShadow(true)).build()).getOk());
      byte[] good = far(robot, 1, 0).toByteArray();
      String topic = Topics.shadow(robot);
      policy.publish(topic, "not a protobuf at all \u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0,
          false, 0);
      policy.publish(topic, java.util.Arrays.copyOf(good, good.length / 2), 0, false, 0);
      policy.publish(topic, new byte[1 << 20], 0, false, 0); // far over the 16 KiB a prediction may take
      LockSupport.parkNanos(300_000_000L);
      assertEquals(0, b.shadowSamples(), "nothing usable arrived");
      assertTrue(b.loop().isRunning());
      policy.publish(topic, good, 0, false, 0);
      Await.until(() -> b.shadowSamples() > 0, 5000, "a good prediction after the bad ones is sampled");
      assertEquals("command", b.loop().source().name());
    }
  }
}
