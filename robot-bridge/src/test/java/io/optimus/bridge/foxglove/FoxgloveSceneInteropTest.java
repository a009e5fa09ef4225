package io.optimus.bridge.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.Link;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.common.Json;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.motion.record.mcap.NodeMcapReader;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An episode a real bridge records (operator frames over a real broker, head and wrist cameras, the
 * pick-place table) opens as a 3D scene in Foxglove: the official MCAP reader decodes every message,
 * every foxglove.* message also with Foxglove's published schemas, and the transforms form one tree
 * rooted in the world that holds every link, camera and the operator's space (check-foxglove.cjs); and
 * the shipped layout names only topics and fields the episode has.
 */
class FoxgloveSceneInteropTest {
  private static final List<String> CAMERAS = List.of("head", "left_wrist", "right_wrist");
  private static final Path LAYOUT = Path.of("../docs/foxglove/optimus-layout.json");

  @Test
  void aBridgeRecordingOpensAsOneSceneRootedInTheWorld(@TempDir Path dir) throws Exception {
    assumeTrue(NodeMcapReader.foxgloveUnavailable().isEmpty(), () -> NodeMcapReader.foxgloveUnavailable().orElse(""));
    EmbeddedBroker broker = Brokers.embedded();
    RobotRig rig = new RobotRig(Robots.load("optimus")).withWristCamera(CameraSize.parse("--wrist-camera", "96x96", 1.5));
    String robot = "fx1";
    Map<String, ControlReply> replies = new ConcurrentHashMap<>();
    Path file;
    try (MqttEndpoint client = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-" + robot));
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults(robot).withCamera(20).withRecordDir(dir)
            .withWorld(SimulatedWorlds.KINEMATIC)).mqtt(MqttSettings.of(broker.url(), "unused"))
            .retargeter(new MotionRetargeter(rig.model(), rig.home())).start()) {
      client.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
      ControlReply start = request(client, robot, replies, ControlRequest.newBuilder().setRequestId("s")
          .setStartRecording(StartRecordingRequest.newBuilder().setTask("pick-place").setOperatorId("tester")).build());
      assertTrue(start.getOk(), start.getMessage());
      Operator op = new Operator(client, robot);
      long began = System.nanoTime();
      long frames = bridge.cameraFrames();
      while (System.nanoTime() - began < 1_500_000_000L || bridge.cameraFrames() < frames + 5) {
        op.send(true, 0.3f);
        LockSupport.parkNanos(11_000_000L); // the operator's 90 Hz
        assertTrue(System.nanoTime() - began < 20_000_000_000L, "camera frames within 20 s");
      }
      ControlReply stop = request(client, robot, replies, ControlRequest.newBuilder().setRequestId("t")
          .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS))
          .build());
      assertTrue(stop.getOk(), stop.getMessage());
      file = Path.of(stop.getEpisodePath());
    }

    long states;
    try (EpisodeReader r = EpisodeReader.open(file)) {
      states = r.messageCount(EpisodeTopics.STATE);
      long tf = r.messageCount(EpisodeTopics.TF);
      double seconds = r.durationS();
      double bound = FoxgloveSceneViews.RATE_HZ * seconds; // a loaded machine may run fewer ticks than that
      // (the exact rate bound: FoxgloveSceneViewsTest; a loaded machine runs late ticks in bursts)
      assertTrue(tf <= states && tf <= 1.2 * bound + 2 && tf >= Math.min(states, bound) / 5,
          tf + " transform messages for " + states + " states in " + seconds + " s: at most ~50 Hz, every state below");
      assertTrue(r.messageCount(EpisodeTopics.SCENE_ROBOT) >= 2, "the robot at the start and re-sent each second");
      assertTrue(r.messageCount(EpisodeTopics.SCENE_WORLD) >= 2, "the table too");
      assertTrue(r.messageCount(EpisodeTopics.SCENE_OBJECTS) >= 5, "objects from the task states");
      assertTrue(r.messageCount(EpisodeTopics.OPERATOR_HEAD) >= 20, "operator head poses");
      assertTrue(r.messageCount(EpisodeTopics.LATENCY) >= 20, "stage latencies");
      assertTrue(r.messageCount(EpisodeTopics.ROBOT_DESCRIPTION) >= 1, "the display URDF for Foxglove's URDF layer");
      for (String c : CAMERAS) {
        assertEquals(r.messageCount(EpisodeTopics.camera(c)), r.messageCount(EpisodeTopics.cameraCalibration(c)),
            c + ": a calibration beside every frame");
      }
      assertEquals(CAMERAS, r.cameras(), "calibrations are no cameras of their own");
    }

    JsonNode out = NodeMcapReader.checkFoxglove(file);
    assertEquals("[]", out.get("problems").toString(), "problems: " + out.get("problems"));
    assertEquals("[\"world\"]", out.get("roots").toString());
    // the display URDF is standard (checked by the script) and names every link of the tree, plus the world
    assertEquals(rig.model().links().size() + 1, out.at("/urdf/links").asInt(), "display URDF: " + out.get("urdf"));
    long capsules = rig.model().links().stream().flatMap(l -> java.util.stream.Stream.concat(l.visuals().stream(),
        l.collisions().stream())).filter(sh -> sh.geometry() instanceof io.optimus.motion.model.Geometry.Capsule).count();
    assertTrue(capsules > 0 && out.at("/urdf/spheres").asLong() >= 2 * capsules,
        capsules + " capsules, each with its two caps: " + out.get("urdf"));
    Set<String> frames = new HashSet<>();
    out.get("frames").forEach(f -> frames.add(f.asText()));
    List<String> missing = new ArrayList<>();
    for (Link l : rig.model().links()) {
      if (!frames.contains(l.name())) {
        missing.add(l.name());
      }
    }
    for (String c : CAMERAS) {
      if (!frames.contains(EpisodeTopics.cameraFrame(c))) {
        missing.add(EpisodeTopics.cameraFrame(c));
      }
    }
    if (!frames.contains(EpisodeTopics.OPERATOR_FRAME)) {
      missing.add(EpisodeTopics.OPERATOR_FRAME);
    }
    assertEquals(List.of(), missing, "frames not in the tree");
    assertTrue(out.at("/usedFrames/head_camera").asText().startsWith("/camera/head/"),
        "the head camera's images and calibration name its frame: " + out.get("usedFrames"));
    int foxgloveTopics = 0;
    for (var it = out.get("topics").fields(); it.hasNext(); ) {
      var t = it.next();
      if (t.getValue().get("schema").asText().startsWith("foxglove.")) {
        foxgloveTopics++;
        assertEquals(t.getValue().get("count").asLong(), t.getValue().get("foxgloveChecked").asLong(),
            t.getKey() + ": every message decoded alike with Foxglove's published schema");
      }
    }
    assertTrue(foxgloveTopics >= 13, "foxglove topics: " + out.get("topics"));
    assertEquals(states, out.at("/topics/~1state/count").asLong(), "the official reader reads every state");
    theShippedLayoutShowsWhatTheEpisodeHas(file);
  }

  /** Layout topics a short scripted session does not produce (hand tracking is off on the test operator). */
  private static final Set<String> OPTIONAL = Set.of(EpisodeTopics.OPERATOR_HAND_JOINTS);

  /**
   * Every topic the shipped layout (docs/foxglove/optimus-layout.json) names is in the episode, and every
   * message path it plots resolves to a field (and an index within the recorded array).
   */
  private static void theShippedLayoutShowsWhatTheEpisodeHas(Path episode) throws Exception {
    JsonNode layout = Json.MAPPER.readTree(LAYOUT.toFile());
    List<String> refs = new ArrayList<>();
    layout.get("configById").forEach(panel -> {
      panel.findValues("imageTopic").forEach(v -> refs.add(v.asText()));
      panel.findValues("calibrationTopic").forEach(v -> refs.add(v.asText()));
      panel.findValues("topicPath").forEach(v -> refs.add(v.asText()));
      panel.path("paths").forEach(v -> refs.add(v.get("value").asText()));
      panel.path("topics").fieldNames().forEachRemaining(refs::add);
    });
    assertTrue(refs.size() > 20, "layout references: " + refs);
    List<String> problems = new ArrayList<>();
    try (EpisodeReader r = EpisodeReader.open(episode)) {
      for (String ref : refs) {
        int dot = ref.indexOf('.');
        String topic = dot < 0 ? ref : ref.substring(0, dot);
        if (!r.topics().contains(topic)) {
          if (!OPTIONAL.contains(topic)) {
            problems.add(ref + ": no topic " + topic);
          }
          continue;
        }
        if (dot >= 0) {
          Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(topic));
          String why = resolve(it.next().message(), ref.substring(dot + 1));
          if (why != null) {
            problems.add(ref + ": " + why);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Why {@code path} ("position[15]", "stages.applied_ns") does not resolve in {@code m}, or null. */
  private static String resolve(Message m, String path) {
    Message at = m;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      FieldDescriptor f = at.getDescriptorForType().findFieldByName(name);
      if (f == null) {
        return at.getDescriptorForType().getFullName() + " has no field " + name;
      }
      if (bracket >= 0) {
        int index = Integer.parseInt(part.substring(bracket + 1, part.indexOf(']')));
        if (!f.isRepeated() || index >= at.getRepeatedFieldCount(f)) {
          return name + "[" + index + "] is out of the recorded array";
        }
      } else if (i < parts.length - 1) {
        at = (Message) at.getField(f);
      }
    }
    return null;
  }

  private static ControlReply request(MqttEndpoint mqtt, String robot, Map<String, ControlReply> replies,
      ControlRequest r) {
    mqtt.publishAndWait(Topics.control(robot), r, 1, false);
    Await.until(() -> replies.containsKey(r.getRequestId()), 5000, "reply to " + r.getRequestId());
    return replies.get(r.getRequestId());
  }
}
