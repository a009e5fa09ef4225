package io.optimus.teleop.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.Robots;
import io.optimus.motion.retarget.HandSide;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorCalibration;
import io.optimus.motion.retarget.RobotProfile;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorEvent;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.teleop.OperatorStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code optimus teleop} end to end over a real broker: the scripted operator drives a stand-in robot
 * (the bridge's task world behind the bridge's calibration, on the other side of MQTT) until the cube
 * is in the target, with recording events, and prints its summary.
 */
class TeleopCommandTest {

  static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new TeleopCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      line.getErr().println("teleop: " + ex.getMessage());
      return ex instanceof InputException ? 2 : 1;
    });
    return cli.execute(args);
  }

  /** The robot side of the test: frames in, task state out, as the bridge would do it. */
  static final class StandInRobot {
    final TaskWorld world = new TaskWorld("r9", "pick-place", 21, 0.75);
    final OperatorCalibration calibration = new OperatorCalibration(RobotProfile.detect(Robots.load("optimus")));
    final HandSample[] hands = {new HandSample("left_hand"), new HandSample("right_hand")};
    final Map<Long, OperatorEventType> events = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    final double[] p = new double[3];
    final double[] q = new double[4];
    long frames;
    long lastSequence;
    long lastCapture;

    StandInRobot() {
      calibration.setBody(OperatorBody.DEFAULT);
    }

    synchronized void onFrame(OperatorFrame f, MqttEndpoint mqtt) {
      try {
        OperatorStream.checkFinite(f);
      } catch (InputException e) {
        problems.add(e.getMessage());
      }
      if (f.getSequence() <= lastSequence) {
        problems.add("sequence went from " + lastSequence + " to " + f.getSequence());
      }
      lastSequence = f.getSequence();
      double dt = lastCapture == 0 ? 1 / 90.0 : (f.getCaptureTime().getMonotonicNs() - lastCapture) / 1e9;
      lastCapture = f.getCaptureTime().getMonotonicNs();
      frames++;
      for (OperatorEvent e : f.getEventsList()) {
        events.putIfAbsent(e.getEventId(), e.getType());
      }
      calibration.track(Pose3Proto.fromProto(f.getHead()));
      for (int h = 0; h < 2; h++) {
        HandInput in = h == 0 ? f.getLeft() : f.getRight();
        p[0] = in.getGripPose().getPosition().getX();
        p[1] = in.getGripPose().getPosition().getY();
        p[2] = in.getGripPose().getPosition().getZ();
        q[0] = in.getGripPose().getOrientation().getW();
        q[1] = in.getGripPose().getOrientation().getX();
        q[2] = in.getGripPose().getOrientation().getY();
        q[3] = in.getGripPose().getOrientation().getZ();
        calibration.handToRobot(h == 0 ? HandSide.LEFT : HandSide.RIGHT, p, q, p, q);
        // motion only with the deadman held, as the bridge's safety supervisor allows it
        hands[h].set(p[0], p[1], p[2], f.getCommands().getDeadman() ? in.getTrigger() : 0);
        hands[h].valid = f.getCommands().getDeadman();
      }
      world.step(Math.max(0, Math.min(0.05, dt)), hands[0], hands[1]);
      mqtt.publishStream(Topics.task("r9"), world.toProto());
    }
  }

  @Test
  void scriptedOperatorCompletesAnEpisodeThroughTheBroker() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0);
        MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "stand-in-robot"))) {
      StandInRobot stand = new StandInRobot();
      List<ControlRequest> controls = new ArrayList<>();
      robot.subscribe(Topics.operator("r9"), 0, OperatorFrame.parser(), (t, f) -> stand.onFrame(f, robot));
      robot.subscribe(Topics.control("r9"), 1, ControlRequest.parser(), (t, c) -> controls.add(c));
      robot.publishStream(Topics.task("r9"), stand.world.toProto());
      // until the first operator frame arrives, keep the task visible (QoS 0, not retained)
      Thread feeder = new Thread(() -> {
        while (stand.frames == 0 && !Thread.currentThread().isInterrupted()) {
          robot.publishStream(Topics.task("r9"), stand.world.toProto());
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      feeder.start();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = run(out, err, "--robot-id", "r9", "--broker", broker.url(), "--source", "scripted:pick-place",
          "--episodes", "1", "--record", "--operator-id", "scripted-1", "--seed", "4", "--duration", "40");
      feeder.interrupt();
      assertEquals(0, code, err.toString());
      JsonNode summary = Json.MAPPER.readTree(out.toString());
      assertEquals(1, summary.get("episodes").asInt());
      assertEquals(1, summary.get("successes").asInt(), "the operator judged the episode a success");
      assertTrue(stand.world.success(), "the cube is in the target area on the robot side");
      assertEquals(List.of(), stand.problems);
      assertTrue(stand.frames >= 0.9 * summary.get("frames").asLong(), "frames arrived: " + stand.frames);
      assertTrue(summary.get("rate_hz").asDouble() > 60, "about 90 Hz: " + summary.get("rate_hz"));
      assertEquals(List.of(OperatorEventType.OPERATOR_EVENT_RECORD_START, OperatorEventType.OPERATOR_EVENT_MARK_SUCCESS,
          OperatorEventType.OPERATOR_EVENT_RECORD_STOP), new ArrayList<>(stand.events.values()));
      assertTrue(controls.stream().anyMatch(ControlRequest::hasResetTask), "asked for a new layout after the episode");
    }
  }

  @Test
  void badOptionsAreOneLineUsageErrors() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, run(out, err, "--robot-id", "r1", "--source", "nonsense", "--broker", "tcp://127.0.0.1:1"));
    assertEquals(2, run(out, err, "--robot-id", "r1", "--episodes", "0"));
    assertTrue(err.toString().contains("--episodes must be at least 1"), err.toString());
    assertEquals(2, run(out, err, "--robot-id", "r1", "--source", "scripted:juggle", "--broker", "tcp://127.0.0.1:1"));
    assertTrue(err.toString().contains("--source 'scripted:juggle' is unknown: use openxr, scripted:pick-place,"
        + " scripted:stack, scripted:handover"), err.toString());
    assertEquals(2, run(out, err, "--robot-id", "bad/id", "--source", "scripted:pick-place"));
    assertTrue(err.toString().contains("robot id 'bad/id' is invalid"), err.toString());
    assertEquals(2, run(out, err, "--robot-id", "r1", "--video-anchor", "sideways", "--broker", "tcp://127.0.0.1:1"));
    assertTrue(err.toString().contains("--video-anchor must be head or world, not 'sideways'"), err.toString());
  }

  @Test
  void superviseNeedsAScriptedOperatorAndASaneRule() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(2, run(out, err, "--robot-id", "r1", "--source", "openxr", "--supervise", "--broker", "tcp://127.0.0.1:1"));
    assertTrue(err.toString().contains("--supervise needs a scripted operator (--source scripted:TASK), not 'openxr'"),
        err.toString());
    assertEquals(2, run(out, err, "--robot-id", "r1", "--source", "scripted:stack", "--supervise", "--takeover-margin",
        "-0.1", "--broker", "tcp://127.0.0.1:1"));
    assertTrue(err.toString().contains("takeover margin must be a positive distance in metres, not -0.1"), err.toString());
    assertEquals(2, run(out, err, "--robot-id", "r1", "--source", "scripted:stack", "--supervise", "--takeover-dwell",
        "NaN", "--broker", "tcp://127.0.0.1:1"));
    assertTrue(err.toString().contains("takeover dwell must be a non-negative time in seconds, not NaN"), err.toString());
    assertEquals("", out.toString(), "nothing ran");
    assertEquals(3, err.toString().lines().count(), "one line each: " + err);
  }
}
