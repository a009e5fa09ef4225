package io.optimus.teleop.monado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.common.Stamps;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.JointCommand;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VR client's takeover action against a real bridge on the embedded broker: {@code optimus teleop --source
 * openxr --headless} (a child JVM) on teleop-vr's fake OpenXR runtime, whose script holds the squeeze (the
 * deadman) and clicks the right thumbstick twice, while a policy drives the bridge through its {@code command}
 * source. The first click takes the robot over (OPERATOR_EVENT_TAKEOVER: the bridge's source becomes teleop and
 * its status says taken over), the second, since the bridge said so, hands it back.
 */
class TakeoverFromHeadsetOverMqttTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @TempDir Path dir;

  /** Touch controllers; squeeze pressed at frame 20 (after a released start), right stick clicked at 150 and 400. */
  static final String SCRIPT = """
      profile /interaction_profiles/oculus/touch_controller
      exit_after 650
      0 head 0 1.6 0 0 0 0 1
      0 grip left -0.2 1.1 -0.3 0 0 0 1
      0 grip right 0.2 1.1 -0.3 0 0 0 1
      0 input right /input/squeeze/value 0.0
      20 input right /input/squeeze/value 0.95
      150 input right /input/thumbstick/click 1
      165 input right /input/thumbstick/click 0
      400 input right /input/thumbstick/click 1
      415 input right /input/thumbstick/click 0
      """;

  @Test
  void theRightStickClickTakesOverFromTheDrivingPolicyAndTheNextHandsBack() throws Exception {
    Path manifest = FakeRuntimeBuild.manifest(dir, "headset takeover test");
    Files.writeString(dir.resolve("rig.script"), SCRIPT);
    String robot = "r1";
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withCamera(0).withSource("command"))
            .mqtt(MqttSettings.of(broker.url(), "bridge-" + robot))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        MqttEndpoint watcher = MqttEndpoint.connect(MqttSettings.of(broker.url(), "policy-" + robot))) {
      Map<Long, OperatorEventType> events = new LinkedHashMap<>();
      watcher.subscribe(Topics.operator(robot), 0, OperatorFrame.parser(), (t, f) -> {
        synchronized (events) {
          for (OperatorEvent e : f.getEventsList()) {
            events.putIfAbsent(e.getEventId(), e.getType());
          }
        }
      });
      List<ControlReply> replies = new CopyOnWriteArrayList<>();
      watcher.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> {
        if (r.getRequestId().startsWith("operator-event-")) {
          replies.add(r);
        }
      });
      List<Boolean> takenOver = new CopyOnWriteArrayList<>();
      watcher.subscribe(Topics.status(robot), 1, BridgeStatus.parser(), (t, s) -> {
        if (takenOver.isEmpty() || takenOver.get(takenOver.size() - 1) != s.getTakenOver()) {
          takenOver.add(s.getTakenOver());
        }
      });
      List<String> sources = new CopyOnWriteArrayList<>();
      Thread policy = Thread.ofPlatform().daemon().start(() -> { // the policy: the home pose at 30 Hz
        long seq = 0;
        while (!Thread.currentThread().isInterrupted()) {
          JointCommand.Builder c = JointCommand.newBuilder().setSchemaVersion(1).setRobotId(robot).setSequence(++seq)
              .setStamp(Stamps.now()).setSource("policy:home");
          for (double v : RIG.home()) {
            c.addPosition(v);
          }
          watcher.publishStream(Topics.command(robot), c.build());
          String s = bridge.loop().source().name();
          if (sources.isEmpty() || !sources.get(sources.size() - 1).equals(s)) {
            sources.add(s);
          }
          try {
            Thread.sleep(33);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
          "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          TeleopChild.class.getName(), "--xr-runtime", manifest.toString(), "--robot-id", robot, "--broker",
          broker.url(), "--source", "openxr", "--headless", "--rate", "100")
          .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
      pb.environment().put("OPTIMUS_FAKEXR_SCRIPT", dir.resolve("rig.script").toString());
      pb.environment().put("OPTIMUS_FAKEXR_REPORT", dir.resolve("report.txt").toString());
      Process p = pb.start();
      try {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client did not end after the script's exit");
      } finally {
        p.destroyForcibly();
        policy.interrupt();
        policy.join();
      }
      String stderr = Files.readString(dir.resolve("stderr.txt"));
      assertEquals(0, p.exitValue(), stderr);
      List<OperatorEventType> clicks;
      synchronized (events) {
        clicks = new ArrayList<>(events.values().stream().filter(t -> t == OperatorEventType.OPERATOR_EVENT_TAKEOVER
            || t == OperatorEventType.OPERATOR_EVENT_HAND_BACK).toList());
      }
      assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_TAKEOVER, OperatorEventType.OPERATOR_EVENT_HAND_BACK), clicks,
          "one event per click, the second a hand-back because the bridge said taken over:\n" + stderr);
      assertEquals(2, replies.size(), replies.toString());
      assertTrue(replies.stream().allMatch(ControlReply::getOk), "the bridge took both: " + replies);
      assertEquals(List.of("command", "teleop", "command"), sources, "the bridge's action source over time");
      assertTrue(takenOver.containsAll(List.of(true, false)) && takenOver.indexOf(true) < takenOver.lastIndexOf(false),
          "BridgeStatus.taken_over went on, then off: " + takenOver);
    }
  }
}
