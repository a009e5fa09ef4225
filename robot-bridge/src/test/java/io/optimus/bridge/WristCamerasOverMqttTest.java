package io.optimus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.motion.model.CameraSize;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.CameraFrames;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head and both wrist cameras of a bridge: each on its own topic over a real broker, each in the episode. */
class WristCamerasOverMqttTest {
  private static final List<String> CAMERAS = List.of("head", "left_wrist", "right_wrist");

  @Test
  void everyCameraIsPublishedOnItsTopicAndRecordedOnItsChannel(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = Brokers.embedded();
    RobotRig rig = new RobotRig(Robots.load("optimus")).withWristCamera(CameraSize.parse("--wrist-camera", "128x96", 1.5));
    Map<String, String> wanted = Map.of("head", "96x96", "left_wrist", "128x96", "right_wrist", "128x96");
    Map<String, CameraFrame> live = new ConcurrentHashMap<>();
    Map<String, String> wrongTopic = new ConcurrentHashMap<>();
    Map<String, ControlReply> replies = new ConcurrentHashMap<>();
    String robot = "wc1";
    try (MqttEndpoint watch = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-" + robot))) {
      watch.subscribe(Topics.robot(robot) + "/camera/+", 0, CameraFrame.parser(), (topic, f) -> {
        if (!topic.equals(Topics.camera(robot, f.getCameraName()))) {
          wrongTopic.put(topic, f.getCameraName());
        }
        live.put(f.getCameraName(), f);
      });
      watch.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
      try (RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults(robot).withCamera(20).withRecordDir(dir)
          .withSource("command"))
          .mqtt(MqttSettings.of(broker.url(), "unused")).start()) {
        ControlReply start = request(watch, robot, replies, ControlRequest.newBuilder().setRequestId("s")
            .setStartRecording(StartRecordingRequest.newBuilder().setTask("pick-place").setOperatorId("tester")).build());
        assertTrue(start.getOk(), start.getMessage());
        long rounds = bridge.cameraFrames();
        Await.until(() -> live.keySet().containsAll(CAMERAS) && bridge.cameraFrames() > rounds + 5, 15_000,
            "frames of every camera over MQTT");
        ControlReply stop = request(watch, robot, replies, ControlRequest.newBuilder().setRequestId("t")
            .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS))
            .build());
        assertTrue(stop.getOk(), stop.getMessage());
        assertEquals(Map.of(), wrongTopic, "frames on another camera's topic");
        assertEquals(CAMERAS.size(), live.size(), "cameras: " + live.keySet());
        live.forEach((name, f) -> {
          assertEquals(wanted.get(name), f.getWidth() + "x" + f.getHeight(), name);
          assertEquals(f.getWidth() * f.getHeight() * 3, CameraFrames.rgb8(f, name).length, name);
          assertEquals(robot, f.getRobotId());
        });

        try (EpisodeReader r = EpisodeReader.open(Path.of(stop.getEpisodePath()))) {
          assertEquals(CAMERAS, r.cameras());
          assertEquals(CAMERAS, r.header().getRobot().getCamerasList().stream().map(CameraInfo::getName).toList());
          for (String name : CAMERAS) {
            long n = r.messageCount(EpisodeTopics.camera(name));
            assertTrue(n >= 3, name + ": " + n + " frames recorded");
            Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.camera(name)));
            long previous = -1;
            while (it.hasNext()) {
              CameraFrame f = it.next().as(CameraFrame.class);
              assertEquals(name, f.getCameraName());
              assertEquals(wanted.get(name), f.getWidth() + "x" + f.getHeight(), name);
              assertEquals(f.getWidth() * f.getHeight() * 3, f.getData().size());
              assertTrue(f.getSequence() > previous, name + " sequence rises");
              previous = f.getSequence();
            }
          }
          // a reader that wants one camera (training: the head) still finds it as before
          assertEquals(96, r.cameraAt("head", Long.MAX_VALUE).orElseThrow().getWidth());
        }
      }
    }
  }

  private static ControlReply request(MqttEndpoint mqtt, String robot, Map<String, ControlReply> replies,
      ControlRequest r) {
    mqtt.publishAndWait(Topics.control(robot), r, 1, false);
    Await.until(() -> replies.containsKey(r.getRequestId()), 5000, "reply to " + r.getRequestId());
    return replies.get(r.getRequestId());
  }
}
