package io.optimus.policy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.policy.eval.OptimusPolicyFixture;
import io.optimus.proto.v1.JointCommand;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained policy on a real bridge over a real (embedded HiveMQ) broker: driving and shadowing. */
class PolicyDeploymentTest {
  static EmbeddedBroker broker;
  static OptimusPolicyFixture fixture;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    fixture = OptimusPolicyFixture.get();
    broker = EmbeddedBroker.start(EmbeddedBroker.freePort("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private RobotBridge bridge(String id) {
    return RobotBridge.builder(fixture.rig, BridgeConfig.defaults(id).withUnattended(true).withSource("command"))
        .mqtt(MqttSettings.of(broker.url(), "bridge-" + id)).start();
  }

  @Test
  void drivesTheRobotThroughTheBridgesCommandSource() throws Exception {
    try (RobotBridge bridge = bridge("drive-bot");
        PolicyDeployment dep = PolicyDeployment.start(fixture.run, "drive-bot",
            MqttSettings.of(broker.url(), "policy-drive"), false, null, 0.1)) {
      await(() -> dep.commands() > 5, "the policy publishes commands");
      awaitCommandsApplied("drive-bot", "the bridge applies the policy's commands");
      assertEquals("command", bridge.loop().source().name());
    }
  }

  @Test
  void aPolicyThatSeesTheWristsStepsOnTheWristFramesTheBridgePublishes() throws Exception {
    Path wrists = fixture.wristRun();
    try (RobotBridge bridge = bridge("wrist-bot");
        PolicyDeployment dep = PolicyDeployment.start(wrists, "wrist-bot",
            MqttSettings.of(broker.url(), "policy-wrist"), false, null, 0.1)) {
      assertEquals(List.of("head", "left_wrist", "right_wrist"), dep.policy().cameras());
      // the policy holds until every camera has sent a frame; its inference steps count only after that
      await(() -> dep.policy().timer().steps() > 5, "the policy steps on head and wrist frames from MQTT");
      awaitCommandsApplied("wrist-bot", "the bridge applies the commands of the policy that sees the wrists");
    }
  }

  @Test
  void shadowsTheHumanWithoutCommandingAndLogsDisagreement() throws Exception {
    Path log = tmp.resolve("shadow");
    Path dataset = tmp.resolve("dataset");
    try (RobotBridge bridge = RobotBridge.builder(fixture.rig, BridgeConfig.defaults("shadow-bot").withUnattended(true)
            .withSource("command").withRecordDir(dataset)).mqtt(MqttSettings.of(broker.url(), "bridge-shadow-bot")).start();
        MqttEndpoint human = MqttEndpoint.connect(MqttSettings.of(broker.url(), "human"))) {
      double[] home = fixture.rig.home();
      ControlReply rec = bridge.handle(ControlRequest.newBuilder().setRequestId("rec")
          .setStartRecording(StartRecordingRequest.getDefaultInstance()).build());
      assertTrue(rec.getOk(), rec.getMessage());
      PolicyDeployment dep = PolicyDeployment.start(fixture.run, "shadow-bot", MqttSettings.of(broker.url(), "policy-shadow"),
          true, log, 0.0001);
      try {
        long seq = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (dep.steps() < 40 && System.nanoTime() < deadline) {
          JointCommand.Builder c = JointCommand.newBuilder().setRobotId("shadow-bot").setSequence(++seq)
              .setStamp(Stamps.now()).setSource("human");
          for (double h : home) {
            c.addPosition(h);
          }
          human.publishStream(Topics.command("shadow-bot"), c.build());
          Thread.sleep(20); // the human's 50 Hz command stream, not synchronization
        }
        assertEquals(0, dep.commands(), "shadow mode never commands");
        await(() -> bridge.shadowSamples() > 20, "the bridge records the shadow's predictions");
        assertEquals("command", bridge.loop().source().name(), "the shadow never became the source");
      } finally {
        dep.close();
      }
      ControlReply stop = bridge.handle(ControlRequest.newBuilder().setRequestId("stop")
          .setStopRecording(StopRecordingRequest.getDefaultInstance()).build());
      Path episode = Path.of(stop.getEpisodePath());
      String id;
      long recorded;
      try (EpisodeReader r = EpisodeReader.open(episode)) {
        id = r.header().getEpisodeId();
        recorded = r.messageCount("/shadow");
      }
      assertTrue(recorded > 20, recorded + " shadow samples in " + episode);
      List<ShadowLog.Episode> episodes = dep.shadowLog().episodes();
      assertEquals(1, episodes.size(), "one engaged span");
      ShadowLog.Episode e = episodes.get(0);
      assertEquals(id, e.episodeId(), "keyed by the recording's episode id");
      assertTrue(e.steps() >= 40, "steps " + e.steps());
      assertTrue(e.meanDisagreement() > 0 && Double.isFinite(e.meanDisagreement()), "disagreement " + e);
      assertTrue(e.flagged(), "above the tiny threshold: flagged");
      assertTrue(e.meanByGroup().containsKey("right_arm"), e.meanByGroup().toString());
      assertTrue(Files.readAllLines(log.resolve("episode-" + id + ".csv")).size() > 40);
      assertEquals(1, Files.readAllLines(log.resolve("episodes.jsonl")).size());
    }
  }

  @Test
  void runsInsideTheBridgeAsItsPolicyActionSource() throws Exception {
    io.optimus.proto.v1.RobotDescription robot = fixture.rig.model().toDescription("x");
    List<String> joints = robot.getJointsList().stream().map(io.optimus.proto.v1.JointInfo::getName).toList();
    java.util.concurrent.ConcurrentLinkedDeque<double[]> targets = new java.util.concurrent.ConcurrentLinkedDeque<>();
    try (RobotBridge bridge = RobotBridge.builder(fixture.rig,
            BridgeConfig.defaults("inproc-bot").withUnattended(true).withSource("policy:act"))
        .policy("act", () -> new Recording(io.optimus.policy.runtime.LearnedPolicy.load(fixture.run, joints, 96, true, true)
            .clampTo(robot), targets))
        .mqtt(MqttSettings.of(broker.url(), "bridge-inproc-bot")).start()) {
      await(() -> bridge.loop().source() instanceof io.optimus.bridge.control.PolicyActionSource p && p.actions() > 5,
          "the learned policy acts inside the bridge");
      var source = (io.optimus.bridge.control.PolicyActionSource) bridge.loop().source();
      assertEquals("policy:" + fixture.run.getFileName(), source.name(), "named after the run");
      awaitApplied("inproc-bot", targets, "the bridge's PolicyActionSource applies the learned policy's targets");
      assertEquals(null, source.failure());
    }
  }

  /** The learned policy as the bridge runs it, keeping the targets it returns (the newest 100). */
  private record Recording(io.optimus.bridge.control.Policy policy, java.util.Deque<double[]> targets)
      implements io.optimus.bridge.control.Policy {
    @Override
    public String name() {
      return policy.name();
    }

    @Override
    public double rateHz() {
      return policy.rateHz();
    }

    @Override
    public void act(io.optimus.bridge.control.PolicyObservation observation, double[] targetOut) throws Exception {
      policy.act(observation, targetOut);
      targets.addFirst(targetOut.clone());
      while (targets.size() > 100) {
        targets.pollLast();
      }
    }

    @Override
    public void reset() {
      policy.reset();
    }

    @Override
    public void close() {
      policy.close();
    }
  }

  @Test
  void anAbsentRobotIsNamed() {
    InputException e = assertThrows(InputException.class, () -> PolicyDeployment.start(fixture.run, "nobody",
        MqttSettings.of(broker.url(), "policy-nobody"), true, tmp, 0.1, 1500));
    assertTrue(e.getMessage().contains("nobody") && e.getMessage().contains("no description"), e.getMessage());
  }

  /**
   * Waits until the bridge's published state shows, as its commanded position on every joint, a command the
   * policy published. Whether a policy trained for under a second moves the robot by any given amount is
   * up to its training (a near-hold is a fine prediction at the demonstrations' start), so the plumbing is
   * checked directly: the policy's targets are what the bridge's safety supervisor passes to the robot.
   */
  static void awaitCommandsApplied(String robotId, String what) throws InterruptedException {
    java.util.concurrent.ConcurrentLinkedDeque<double[]> sent = new java.util.concurrent.ConcurrentLinkedDeque<>();
    try (MqttEndpoint spy = MqttEndpoint.connect(MqttSettings.of(broker.url(), "spy-commands-" + robotId))) {
      spy.subscribe(Topics.command(robotId), MqttEndpoint.QOS_STREAM, JointCommand.parser(), (t, c) -> {
        if (c.getSource().startsWith("policy:")) {
          sent.addFirst(c.getPositionList().stream().mapToDouble(Double::doubleValue).toArray());
          while (sent.size() > 100) {
            sent.pollLast();
          }
        }
      });
      awaitApplied(robotId, sent, what);
    }
  }

  /** Waits until ten of the bridge's published states carry one of {@code targets} as their commanded positions. */
  static void awaitApplied(String robotId, java.util.Deque<double[]> targets, String what) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
    try (MqttEndpoint spy = MqttEndpoint.connect(MqttSettings.of(broker.url(), "spy-state-" + robotId))) {
      spy.subscribe(Topics.state(robotId), MqttEndpoint.QOS_STREAM, io.optimus.proto.v1.JointState.parser(), (t, s) -> {
        for (double[] c : targets) {
          if (c.length == s.getCommandedPositionCount() && sameWithin(c, s.getCommandedPositionList(), 1e-9)) {
            applied.incrementAndGet();
            return;
          }
        }
      });
      await(() -> applied.get() >= 10, what);
    }
  }

  private static boolean sameWithin(double[] a, List<Double> b, double tol) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b.get(i)) > tol) {
        return false;
      }
    }
    return true;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
