package io.optimus.teleop.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.cli.OptimusCli;
import io.optimus.common.Json;
import io.optimus.motion.bvh.BvhBroadcast;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code optimus teleop --source mocap-stream:HOST:PORT} end to end: a TCP server broadcasting a CMU
 * clip as a mocap suite would, the real CLI, an embedded HiveMQ broker and an attended bridge.
 */
class MocapStreamTeleopTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  static Path clip() {
    return io.optimus.motion.testing.SharedData.mocapClip(io.optimus.motion.testing.SharedData.CMU_WALK);
  }

  private static double movedFromHome(RobotBridge bridge) {
    double[] q = new double[RIG.dof()];
    bridge.loop().snapshot(q);
    double max = 0;
    for (int i = 0; i < q.length; i++) {
      max = Math.max(max, Math.abs(q[i] - RIG.home()[i]));
    }
    return max;
  }

  private static int teleop(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = OptimusCli.configure(new CommandLine(new TeleopCommand()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void liveStreamDrivesTheRobotAndSurvivesADrop() throws Exception {
    try (BvhBroadcast suit = BvhBroadcast.start(clip(), 0);
        EmbeddedBroker broker = EmbeddedBroker.start(0);
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("mocap1").withCamera(0))
            .mqtt(MqttSettings.of(broker.url(), "bridge-mocap1"))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start()) {
      List<SafetyEventType> events = new CopyOnWriteArrayList<>();
      bridge.supervisor().addListener((SafetyEvent e) -> events.add(e.getType()));
      Thread dropper = Thread.ofPlatform().daemon().start(() -> {
        try {
          Thread.sleep(2500);
          suit.dropClient();
        } catch (Exception e) {
          // the assertions below fail without the drop
        }
      });
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = teleop(out, err, "--robot-id", "mocap1", "--broker", broker.url(), "--source",
          "mocap-stream:127.0.0.1:" + suit.port(), "--operator-id", "suit", "--duration", "5");
      dropper.join();
      assertEquals(0, code, err.toString());
      assertTrue(events.contains(SafetyEventType.SAFETY_EVENT_ENGAGED), "the stream engaged the robot: " + events);
      assertTrue(bridge.inbox().acceptedCount() > 300, "frames reached the bridge: " + bridge.inbox().acceptedCount());
      assertTrue(movedFromHome(bridge) > 0.05, "the robot followed the stream: " + movedFromHome(bridge) + " rad");
      Map<?, ?> summary = Json.MAPPER.readValue(out.toString().strip(), Map.class);
      assertEquals(1, ((Number) summary.get("mocap_outages")).intValue(), out.toString());
      assertEquals(0, ((Number) summary.get("mocap_lines_refused")).intValue(), out.toString());
      assertTrue(((Number) summary.get("mocap_frames")).intValue() > 300, out.toString());
    }
  }

  @Test
  void benchMeasuresStreamLineToAppliedCommand() throws Exception {
    var r = io.optimus.teleop.bench.MocapStreamLatencyBench.run(clip(), RIG, "kinematic", 250, true, 1, 1.5);
    assertEquals(120, r.streamHz(), 0.1, "the stream's Frame Time");
    assertTrue(r.frames() > 60, "applied commands measured: " + r);
    assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs(), r.toString());
    assertEquals(0, r.refused());
    assertEquals(0, r.outages());
  }

  @Test
  void unmappableHierarchyExitsTwoWithOneLineNamingTheJoint() throws Exception {
    List<String> header = BvhBroadcast.split(clip()).get(0);
    try (ServerSocket suit = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      Thread.ofPlatform().daemon().start(() -> {
        try (Socket c = suit.accept()) {
          StringBuilder s = new StringBuilder();
          header.forEach(l -> s.append(l.replace("RightForeArm", "RightLowerArmX")).append('\n'));
          c.getOutputStream().write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
          Thread.sleep(5000);
        } catch (Exception e) {
          // the assertions fail without the header
        }
      });
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = teleop(out, err, "--robot-id", "mocap2", "--broker", broker.url(), "--source",
          "mocap-stream:127.0.0.1:" + suit.getLocalPort(), "--duration", "5");
      assertEquals(2, code, err.toString());
      String last = err.toString().strip().lines().reduce((a, b) -> b).orElse("");
      assertTrue(last.contains("RightForeArm") && last.startsWith("teleop: "), err.toString());
      assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }
  }
}
