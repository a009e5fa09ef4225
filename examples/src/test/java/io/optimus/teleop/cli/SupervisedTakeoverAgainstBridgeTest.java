package io.optimus.teleop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.common.Json;
import io.optimus.common.Stamps;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.SetActionSourceRequest;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimus teleop --source scripted:pick-place --supervise} against a real bridge on the embedded broker:
 * a deliberately bad policy drives the robot through the bridge's {@code command} source (what {@code policy
 * deploy} asks for: it stands at home waving its right forearm, never reaching for the cube). The supervising
 * scripted operator takes over with one event (its right-stick click), the bridge switches without a jump in
 * commanded positions and records the corrective segment as an intervention, the operator finishes the
 * pick-and-place and hands back; the policy drives again.
 */
class SupervisedTakeoverAgainstBridgeTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  private static final int ELBOW = RIG.model().qIndex("right_elbow_joint");

  @TempDir Path dir;

  /** The bad policy: JointCommands at 30 Hz, home with the right elbow swinging 0.2-0.8 rad, on its own thread. */
  static final class WavingPolicy implements AutoCloseable {
    private final Thread thread;
    private volatile boolean run = true;

    WavingPolicy(MqttEndpoint mqtt, String robot) {
      thread = Thread.ofPlatform().daemon().name("bad-policy").start(() -> {
        long seq = 0;
        long t0 = System.nanoTime();
        while (run) {
          double t = (System.nanoTime() - t0) / 1e9;
          double[] q = RIG.home();
          q[ELBOW] = -0.5 - 0.3 * Math.sin(2 * Math.PI * 0.3 * t);
          JointCommand.Builder c = JointCommand.newBuilder().setSchemaVersion(1).setRobotId(robot).setSequence(++seq)
              .setStamp(Stamps.now()).setSource("policy:waving");
          for (double v : q) {
            c.addPosition(v);
          }
          mqtt.publishStream(Topics.command(robot), c.build());
          java.util.concurrent.locks.LockSupport.parkNanos(33_000_000L);
        }
      });
    }

    @Override
    public void close() throws InterruptedException {
      run = false;
      thread.join();
    }
  }

  static ControlReply request(MqttEndpoint mqtt, String robot, ControlRequest.Builder r) throws Exception {
    String id = "test-" + System.nanoTime();
    CompletableFuture<ControlReply> reply = new CompletableFuture<>();
    mqtt.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, m) -> {
      if (m.getRequestId().equals(id)) {
        reply.complete(m);
      }
    });
    mqtt.publishAndWait(Topics.control(robot), r.setSchemaVersion(1).setRequestId(id).setRequester("test")
        .setStamp(Stamps.now()).build(), 1, false);
    return reply.get(10, TimeUnit.SECONDS);
  }

  static <T extends com.google.protobuf.Message> List<T> read(Path episode, String topic, Class<T> type) throws Exception {
    List<T> out = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(episode)) {
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic)); it.hasNext(); ) {
        out.add(it.next().as(type));
      }
    }
    return out;
  }

  @Test
  void theScriptedOperatorTakesOverAStrayingPolicyFinishesTheTaskAndHandsBack() throws Exception {
    String robot = "sup1";
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withCamera(0)
                .withTask("pick-place", 21).withWorld(SimulatedWorlds.KINEMATIC).withRecordDir(dir))
            .mqtt(MqttSettings.of(broker.url(), "bridge-" + robot))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        MqttEndpoint policyLink = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot))) {
      ControlReply source = request(policyLink, robot, ControlRequest.newBuilder()
          .setSetActionSource(SetActionSourceRequest.newBuilder().setSource("command")));
      assertTrue(source.getOk(), source.getMessage());
      JsonNode summary;
      String reason;
      try (WavingPolicy policy = new WavingPolicy(policyLink, robot)) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TeleopCommandTest.run(out, err, "--robot-id", robot, "--broker", broker.url(), "--source",
            "scripted:pick-place", "--supervise", "--episodes", "1", "--record", "--seed", "4", "--operator-id", "sup",
            "--duration", "90");
        assertEquals(0, code, err.toString());
        summary = Json.MAPPER.readTree(out.toString());
        JsonNode sup = summary.get("supervised");
        assertEquals(1, sup.get("takeovers").asInt(), summary.toString());
        assertEquals(0, sup.get("refused").asInt(), summary.toString());
        assertEquals(1, sup.get("handed_back").asInt(), summary.toString());
        reason = sup.get("interventions").get(0).get("reason").asText();
        assertTrue(reason.startsWith("strayed") || reason.startsWith("stalled"), reason);
        assertTrue(err.toString().contains("taking over from command"), err.toString());
        assertEquals("command", bridge.loop().source().name(), "handed back: the policy drives again");
      }
      bridge.flushClips();

      List<Path> episodes;
      try (Stream<Path> s = Files.walk(dir)) {
        episodes = s.filter(p -> p.toString().endsWith(".mcap")).toList();
      }
      assertEquals(1, episodes.size(), episodes.toString());
      Path episode = episodes.get(0);
      // one event each, sent in the operator's frames (repeated over ~100 ms with one id)
      Map<Long, OperatorEventType> events = new LinkedHashMap<>();
      for (OperatorFrame f : read(episode, EpisodeTopics.OPERATOR, OperatorFrame.class)) {
        for (OperatorEvent e : f.getEventsList()) {
          events.putIfAbsent(e.getEventId(), e.getType());
        }
      }
      List<OperatorEventType> takeoverEvents = events.values().stream()
          .filter(t -> t == OperatorEventType.OPERATOR_EVENT_TAKEOVER || t == OperatorEventType.OPERATOR_EVENT_HAND_BACK)
          .toList();
      assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_TAKEOVER, OperatorEventType.OPERATOR_EVENT_HAND_BACK),
          takeoverEvents, events.toString());

      // command -> teleop -> command, no commanded step beyond the safety limiter's
      List<JointState> states = read(episode, EpisodeTopics.STATE, JointState.class);
      JointLimitTable limits = bridge.supervisor().limits();
      List<String> sources = new ArrayList<>();
      double worst = 0;
      for (int k = 1; k < states.size(); k++) {
        JointState prev = states.get(k - 1);
        JointState s = states.get(k);
        if (sources.isEmpty() || !sources.get(sources.size() - 1).equals(s.getActionSource())) {
          sources.add(s.getActionSource());
        }
        double dt = (s.getStamp().getMonotonicNs() - prev.getStamp().getMonotonicNs()) / 1e9;
        for (int i = 0; i < RIG.dof(); i++) {
          double step = Math.abs(s.getCommandedPosition(i) - prev.getCommandedPosition(i));
          double allowed = limits.velocity(i) * dt;
          worst = Math.max(worst, step / allowed);
          assertTrue(step <= allowed + 1e-9, "tick " + s.getSequence() + " (" + prev.getActionSource() + " -> "
              + s.getActionSource() + "): joint " + limits.name(i) + " stepped " + step + " rad, the limiter allows "
              + allowed);
        }
      }
      assertEquals(List.of("command", "teleop", "command"), sources.subList(sources.indexOf("command"), sources.size()),
          "the recorded sources: " + sources);
      assertTrue(worst > 0.05, "the robot moved (worst step " + worst + " of the limiter's)");

      List<String> marks = read(episode, EpisodeTopics.ANNOTATION, Annotation.class).stream()
          .filter(a -> a.getKind().equals("intervention")).map(Annotation::getText).toList();
      assertEquals(2, marks.size(), marks.toString());
      assertTrue(marks.get(0).startsWith("intervention start") && marks.get(0).contains("took over from command: "
          + reason), "the rule's reason rides in the event: " + marks);
      assertTrue(marks.get(1).startsWith("intervention end") && marks.get(1).contains("handed back to command"),
          marks.toString());
      List<Clip> clips = ClipQueue.in(dir).list().stream().filter(c -> c.trigger() == ClipTrigger.TAKEOVER).toList();
      assertEquals(1, clips.size(), clips.toString());
      assertFalse(clips.get(0).episodeId().isEmpty());
      assertTrue(clips.get(0).durationS() > 1, "the corrective segment: " + clips.get(0));
      // the operator judged it from the task state (the bridge's layout was reset for the next episode since)
      assertEquals(1, summary.get("successes").asInt(), "the operator finished the task: " + summary);
    }
  }
}
