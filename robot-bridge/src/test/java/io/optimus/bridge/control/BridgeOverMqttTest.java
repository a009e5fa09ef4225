package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.RobotBridge;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.ControllerButtons;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EstopRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorEventType;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.RobotDescription;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bridge on a real broker: operator frames over MQTT move the simulated robot, JointState
 * comes back with the operator sequence, safety reacts to the stream, control requests are answered.
 * The retargeter here is a test double (trigger -> right elbow); the real one is covered elsewhere.
 */
class BridgeOverMqttTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final int ELBOW = RIG.model().qIndex("right_elbow_joint");
  /** Shared by the test JVM (see Brokers.embedded). */
  static EmbeddedBroker broker;

  /** Right trigger 0..1 bends the right elbow 0..-1.5 rad; everything else stays home. */
  static final Retargeter TRIGGER_TO_ELBOW = (frame, dt, qCurrent, qOut) -> {
    double[] home = RIG.home();
    System.arraycopy(home, 0, qOut, 0, home.length);
    qOut[ELBOW] = -1.5 * frame.getRight().getTrigger();
  };

  @BeforeAll
  static void up() {
    broker = io.optimus.bridge.testing.Brokers.embedded();
  }

  static final class Watcher implements AutoCloseable {
    final MqttEndpoint mqtt;
    final AtomicReference<JointState> state = new AtomicReference<>();
    final List<SafetyEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, ControlReply> replies = new ConcurrentHashMap<>();
    final AtomicReference<RobotDescription> description = new AtomicReference<>();
    final AtomicReference<TaskState> task = new AtomicReference<>();
    final AtomicReference<CameraFrame> camera = new AtomicReference<>();

    Watcher(String robot) {
      mqtt = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-" + robot));
      mqtt.subscribe(Topics.state(robot), 0, JointState.parser(), (t, s) -> state.set(s));
      mqtt.subscribe(Topics.safetyEvent(robot), 1, SafetyEvent.parser(), (t, e) -> events.add(e));
      mqtt.subscribe(Topics.controlReply(robot), 1, ControlReply.parser(), (t, r) -> replies.put(r.getRequestId(), r));
      mqtt.subscribe(Topics.description(robot), 1, RobotDescription.parser(), (t, d) -> description.set(d));
      mqtt.subscribe(Topics.task(robot), 0, TaskState.parser(), (t, s) -> task.set(s));
      mqtt.subscribe(Topics.camera(robot, "head"), 0, CameraFrame.parser(), (t, f) -> camera.set(f));
    }

    boolean saw(SafetyEventType t) {
      return events.stream().anyMatch(e -> e.getType() == t);
    }

    ControlReply request(String robot, ControlRequest r) {
      mqtt.publishAndWait(Topics.control(robot), r, 1, false);
      Await.until(() -> replies.containsKey(r.getRequestId()), 5000, "reply to " + r.getRequestId());
      return replies.get(r.getRequestId());
    }

    @Override
    public void close() {
      mqtt.close();
    }
  }

  // Kinematic world: the hand hangs at the table's edge on the stand, so in the physics world the table stops the forearm short of the commanded angle; this test is about the MQTT path, not contact.
  static RobotBridge bridge(String robot, Path recordDir) {
    return RobotBridge.builder(RIG, BridgeConfig.defaults(robot).withRecordDir(recordDir).withWorld(SimulatedWorlds.KINEMATIC))
        .mqtt(MqttSettings.of(broker.url(), "unused"))
        .retargeter(TRIGGER_TO_ELBOW)
        .start();
  }

  /** Streams frames at ~90 Hz until {@code done} or the deadline. */
  static void stream(Operator op, boolean deadman, float trigger, long ms, java.util.function.BooleanSupplier done) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end && !done.getAsBoolean()) {
      op.send(deadman, trigger);
      java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L); // the operator's 90 Hz frame period
    }
  }

  /**
   * Streams ~90 Hz frames holding the reset chord (left X + Y) for {@code ms}, with an ESTOP_RESET
   * event (repeated for 100 ms, as the client does) from {@code eventAtMs} on; {@code estopChord} also
   * holds the e-stop chord.
   */
  static void holdResetChord(Operator op, long ms, long eventAtMs, boolean estopChord) {
    var ev = op.event(OperatorEventType.OPERATOR_EVENT_ESTOP_RESET);
    long start = System.nanoTime();
    long elapsed;
    while ((elapsed = (System.nanoTime() - start) / 1_000_000) < ms) {
      OperatorFrame.Builder f = op.frame(false, 0);
      f.setLeft(f.getLeft().toBuilder().setButtons(ControllerButtons.newBuilder().setPrimary(true).setSecondary(true)));
      if (estopChord) {
        f.setCommands(f.getCommands().toBuilder().setEstop(true));
      }
      if (elapsed >= eventAtMs && elapsed < eventAtMs + 100) {
        f.addEvents(ev);
      }
      op.send(f.build());
      java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
    }
  }

  @Test
  void operatorFramesMoveTheRobotAndStatesComeBackWithTheSequence() {
    try (Watcher w = new Watcher("cl1"); RobotBridge bridge = bridge("cl1", null);
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-cl1"))) {
      Operator op = new Operator(opClient, "cl1");
      Await.until(() -> w.description.get() != null, 5000, "retained description");
      assertEquals(RIG.dof(), w.description.get().getJointsCount());
      // garbage on the operator topic is counted and ignored
      opClient.publish(Topics.operator("cl1"), new byte[] {1, 2, 3, 4, 5, 6}, 0, false, 1);
      stream(op, false, 0, 200, () -> false); // deadman released first: armed
      stream(op, true, 0.8f, 3000, () -> {
        JointState s = w.state.get();
        return s != null && Math.abs(s.getPosition(ELBOW) + 1.2) < 0.02;
      });
      JointState s = w.state.get();
      assertEquals(ControlMode.CONTROL_MODE_ENGAGED, s.getMode());
      assertEquals(-1.2, s.getPosition(ELBOW), 0.02, "the measured elbow followed the operator");
      assertEquals(-1.2, s.getCommandedPosition(ELBOW), 0.01);
      assertTrue(s.getOperatorSequence() > op.sequence() - 10 && s.getOperatorSequence() <= op.sequence(),
          "state answers a recent frame: " + s.getOperatorSequence() + " vs " + op.sequence());
      var st = s.getStages();
      assertTrue(st.getCaptured().getMonotonicNs() <= st.getReceivedNs() && st.getReceivedNs() <= st.getRetargetedNs()
          && st.getRetargetedNs() <= st.getAppliedNs() && st.getAppliedNs() <= st.getPublishedNs(), st.toString());
      assertEquals("teleop", s.getActionSource());
      assertTrue(bridge.mqtt().garbageCount() >= 1, "garbage counted");
      assertTrue(w.saw(SafetyEventType.SAFETY_EVENT_ENGAGED));
      Await.until(() -> w.task.get() != null && w.camera.get() != null, 5000, "task state and camera frames");
      assertEquals(96 * 96 * 3, w.camera.get().getData().size());

      // the operator vanishes: hold after 100 ms, then ramp to the safe pose
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_WATCHDOG_HOLD), 2000, "watchdog hold");
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE), 2000, "watchdog disengage");
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_SAFE_POSE_REACHED), 10000, "safe pose reached");
      Await.until(() -> Math.abs(w.state.get().getPosition(ELBOW) - RIG.home()[ELBOW]) < 0.03, 3000, "home elbow");
      // frames come back with the deadman still held: refused
      stream(op, true, 0.8f, 300, () -> w.saw(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED));
      assertTrue(w.saw(SafetyEventType.SAFETY_EVENT_REENGAGE_REFUSED));
      assertEquals(RIG.home()[ELBOW], w.state.get().getPosition(ELBOW), 0.03, "no motion while refused");
    }
  }

  /** Right palm position (robot base frame) from a state's measured joints, standing. */
  static double[] rightPalm(JointState s) {
    var d = RIG.kinematics().newData();
    for (int i = 0; i < RIG.dof(); i++) {
      d.q[i] = s.getPosition(i);
    }
    RIG.forwardStanding(d);
    int l = RIG.right().palmLink();
    return new double[] {d.linkPosition[3 * l], d.linkPosition[3 * l + 1], d.linkPosition[3 * l + 2]};
  }

  @Test
  void theWholeBodyRetargeterMovesThePalmWhereTheOperatorsHandGoes() {
    try (Watcher w = new Watcher("wb1");
        // kinematic: in physics the table in front stops the palm moving forward from where it hangs
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("wb1").withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC))
            .mqtt(MqttSettings.of(broker.url(), "unused"))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-wb1"))) {
      Operator op = new Operator(opClient, "wb1");
      long end = System.nanoTime() + 1_500_000_000L;
      while (System.nanoTime() < end) {
        op.send(op.frame(System.nanoTime() > end - 1_200_000_000L, 0).build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      double[] before = rightPalm(w.state.get());
      end = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < end) {
        var f = op.frame(true, 0);
        f.setRight(f.getRight().toBuilder().setGripPose(Operator.pose(0.5, -0.2, 1.2)));
        op.send(f.build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      JointState s = w.state.get();
      double[] after = rightPalm(s);
      assertEquals(ControlMode.CONTROL_MODE_ENGAGED, s.getMode());
      assertTrue(after[0] - before[0] > 0.05 && after[2] - before[2] > 0.05,
          "palm moved forward and up: " + java.util.Arrays.toString(before) + " -> " + java.util.Arrays.toString(after));
      assertTrue(s.getOperatorSequence() > op.sequence() - 10);
    }
  }

  @Test
  void nanFramesAndEstopsStopTheRobotAndControlRequestsAreAnswered() {
    try (Watcher w = new Watcher("cl2"); RobotBridge bridge = bridge("cl2", null);
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-cl2"))) {
      Operator op = new Operator(opClient, "cl2");
      stream(op, false, 0, 150, () -> false);
      stream(op, true, 0.5f, 2000, () -> w.state.get() != null
          && Math.abs(w.state.get().getPosition(ELBOW) + 0.75) < 0.02);
      // a NaN pose is rejected, named, and does not move the robot
      OperatorFrame bad = op.frame(true, 1.0f).setRight(op.frame(true, 1.0f).getRight().toBuilder()
          .setGripPose(Operator.pose(Double.NaN, 0, 1))).build();
      op.send(bad);
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_INVALID_INPUT), 3000, "invalid input event");
      SafetyEvent inv = w.events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_INVALID_INPUT)
          .findFirst().orElseThrow();
      assertTrue(inv.getDetail().contains("right.grip_pose position is not finite"), inv.getDetail());
      stream(op, true, 0.5f, 100, () -> false);
      assertEquals(-0.75, w.state.get().getPosition(ELBOW), 0.02, "the NaN frame's trigger=1 was never applied");
      assertTrue(bridge.invalidFrames() >= 1);

      // e-stop over the control topic: latched, answered
      ControlReply r = w.request("cl2", ControlRequest.newBuilder().setRequestId("e1").setRequester("test")
          .setEstop(EstopRequest.newBuilder().setReason("test")).build());
      assertTrue(r.getOk());
      stream(op, true, 1.0f, 300, () -> false);
      assertEquals(ControlMode.CONTROL_MODE_ESTOP, w.state.get().getMode());
      assertEquals(-0.75, w.state.get().getPosition(ELBOW), 0.05, "stopped where it was");
      // the operator's chord latches too, and blocks a reset while held
      holdResetChord(op, 1300, 1000, true);
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED), 3000, "reset refused");
      SafetyEvent refused = w.events.stream()
          .filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_ESTOP_RESET_REFUSED).findFirst().orElseThrow();
      assertTrue(refused.getDetail().contains("chord"), refused.getDetail());
      assertEquals(ControlMode.CONTROL_MODE_ESTOP, bridge.supervisor().mode());
      stream(op, false, 0, 100, () -> false);
      holdResetChord(op, 2500, 1000, false);
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_ESTOP_RESET), 2000, "reset event");
      // an operator event e-stop (deduplicated by event id) latches again
      long latches = w.events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED).count();
      var ev = op.event(OperatorEventType.OPERATOR_EVENT_ESTOP);
      for (int i = 0; i < 5; i++) {
        op.send(op.frame(false, 0).addEvents(ev).build());
      }
      Await.until(() -> w.events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED)
          .count() == latches + 1, 3000, "the operator event's latch");
      assertEquals(ControlMode.CONTROL_MODE_ESTOP, bridge.supervisor().mode());
      ControlReply unknown = w.request("cl2", ControlRequest.newBuilder().setRequestId("x").build());
      assertFalse(unknown.getOk());
      ControlReply rec = w.request("cl2", ControlRequest.newBuilder().setRequestId("rec")
          .setStartRecording(StartRecordingRequest.getDefaultInstance()).build());
      assertFalse(rec.getOk());
      assertTrue(rec.getMessage().contains("--record"), rec.getMessage());
    }
  }

  @Test
  void theOperatorsLastWillDisengagesTheRobotAtOnce() {
    try (Watcher w = new Watcher("lw1"); RobotBridge bridge = bridge("lw1", null)) {
      MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-lw1"),
          io.optimus.bridge.mqtt.LastWill.operatorOffline("tester", "lw1"));
      Operator op = new Operator(opClient, "lw1");
      stream(op, false, 0, 150, () -> false);
      stream(op, true, 0.5f, 1000, () -> w.saw(SafetyEventType.SAFETY_EVENT_ENGAGED));
      opClient.simulateNetworkFailure(); // the headset's Wi-Fi drops: no DISCONNECT, the broker sends the will
      opClient.close();
      Await.until(() -> w.saw(SafetyEventType.SAFETY_EVENT_OPERATOR_LOST), 5000, "operator lost");
      SafetyEvent lost = w.events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_OPERATOR_LOST)
          .findFirst().orElseThrow();
      assertEquals(ControlMode.CONTROL_MODE_SAFE_RAMP, lost.getModeAfter());
      assertFalse(w.saw(SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE) && w.events.indexOf(lost) > w.events.indexOf(
          w.events.stream().filter(e -> e.getType() == SafetyEventType.SAFETY_EVENT_WATCHDOG_DISENGAGE).findFirst()
              .orElseThrow()), "the will, not the 500 ms watchdog, disengaged it");
    }
  }

  @Test
  void recordsAnEpisodeStartedAndStoppedOverTheControlTopic(@TempDir Path dir) throws Exception {
    try (Watcher w = new Watcher("cl3"); RobotBridge bridge = bridge("cl3", dir);
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-cl3"))) {
      Operator op = new Operator(opClient, "cl3");
      ControlReply start = w.request("cl3", ControlRequest.newBuilder().setRequestId("s")
          .setStartRecording(StartRecordingRequest.newBuilder().setTask("pick-place").setOperatorId("tester")).build());
      assertTrue(start.getOk(), start.getMessage());
      stream(op, false, 0, 150, () -> false);
      // at least 2 s engaged and until the arm has moved: a loaded machine runs fewer ticks per second
      long engaged = System.nanoTime();
      stream(op, true, 0.6f, 10_000, () -> System.nanoTime() - engaged > 2_000_000_000L
          && w.state.get() != null && w.state.get().getPosition(ELBOW) < -0.5);
      ControlReply stop = w.request("cl3", ControlRequest.newBuilder().setRequestId("t")
          .setStopRecording(StopRecordingRequest.newBuilder().setOutcome(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS))
          .build());
      assertTrue(stop.getOk(), stop.getMessage());
      Path file = Path.of(stop.getEpisodePath());
      assertEquals(start.getEpisodePath(), stop.getEpisodePath());
      assertTrue(Files.size(file) > 1000);
      try (EpisodeReader r = EpisodeReader.open(file)) {
        assertEquals("cl3", r.header().getRobotId());
        assertEquals(RIG.model().modelHash(), r.header().getRobot().getModelHash());
        assertTrue(r.messageCount(EpisodeTopics.STATE) > 150, "states: " + r.messageCount(EpisodeTopics.STATE));
        assertTrue(r.messageCount(EpisodeTopics.OPERATOR) > 50);
        assertTrue(r.messageCount(EpisodeTopics.SAFETY_EVENT) >= 1, "the ENGAGED event is recorded");
        assertEquals(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, r.outcome().orElseThrow().getOutcome());
        Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
        List<Double> elbow = new ArrayList<>();
        while (it.hasNext()) {
          JointState s = it.next().as(JointState.class);
          assertEquals(RIG.dof(), s.getCommandedPositionCount());
          elbow.add(s.getPosition(ELBOW));
        }
        assertTrue(elbow.get(elbow.size() - 1) < -0.5, "the recorded trajectory has the motion");
      }
      // replay it through the command path of the same bridge
      assertNotNull(bridge.recorder().last());
    }
  }
}
