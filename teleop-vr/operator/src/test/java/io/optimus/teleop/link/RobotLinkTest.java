package io.optimus.teleop.link;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.OperatorStatus;
import io.optimus.proto.v1.TaskState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's MQTT link against a real broker (embedded HiveMQ CE on a free port). */
class RobotLinkTest {
  static EmbeddedBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static void await(BooleanSupplier c, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void announcesPublishesFramesAndTheWillFiresOnAFault() throws Exception {
    List<OperatorStatus> statuses = new CopyOnWriteArrayList<>();
    List<OperatorFrame> frames = new CopyOnWriteArrayList<>();
    try (MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-side"))) {
      robot.subscribe(Topics.operatorStatus("alice"), 1, OperatorStatus.parser(), (t, m) -> statuses.add(m));
      robot.subscribe(Topics.operator("r1"), 0, OperatorFrame.parser(), (t, m) -> frames.add(m));
      TcpProxy network = new TcpProxy(broker.port());
      RobotLink link = RobotLink.connect(network.url(), "r1", "alice");
      await(() -> statuses.stream().anyMatch(OperatorStatus::getOnline), "online status");
      assertEquals("r1", statuses.get(statuses.size() - 1).getRobotId());
      for (int i = 1; i <= 5; i++) {
        assertTrue(link.publish(OperatorFrame.newBuilder().setSequence(i).setOperatorId("alice").build()));
      }
      await(() -> frames.size() == 5, "5 operator frames");
      assertEquals(5, frames.get(4).getSequence());

      network.cut(); // no DISCONNECT reaches the broker: it publishes the Last Will
      await(() -> !statuses.get(statuses.size() - 1).getOnline(), "the Last Will (offline status)");
      link.close();
    }
  }

  @Test
  void keepsTheLatestTaskAndIgnoresGarbage() throws Exception {
    List<OperatorStatus> statuses = new CopyOnWriteArrayList<>();
    try (MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-side-2"))) {
      robot.subscribe(Topics.operatorStatus("bob"), 1, OperatorStatus.parser(), (tp, m) -> statuses.add(m));
      RobotLink link = RobotLink.connect(broker.url(), "r2", "bob");
      TaskState t = new TaskWorld("r2", "pick-place", 5, 0.75).toProto();
      robot.publish(Topics.task("r2"), new byte[] {(byte) 0xff, 0x01, 0x02, 0x7f}, 0, false, 0); // garbage first
      robot.publish(Topics.task("r2"), t, 0, false);
      await(() -> link.task() != null, "the task state");
      assertEquals(5, link.task().getSeed());
      assertEquals(1, link.endpoint().garbageCount(), "the garbage was counted, not delivered");
      await(() -> statuses.stream().anyMatch(OperatorStatus::getOnline), "online status");
      link.close();
      await(() -> !statuses.get(statuses.size() - 1).getOnline(), "clean offline announcement");
    }
  }

  @Test
  void theRobotHasTakenAFrameOnlyOnceItsStateEchoesOurCaptureStamp() throws Exception {
    try (MqttEndpoint robot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "robot-side-3"))) {
      RobotLink link = RobotLink.connect(broker.url(), "r3", "carol");
      assertFalse(link.robotTookAFrame(), "nothing heard yet");
      // a robot streaming its state before any operator frame reached it (no stages)
      robot.publish(Topics.state("r3"), JointState.newBuilder().setSchemaVersion(1).addPosition(0.1).build(), 0, false);
      await(() -> link.state() != null, "the first joint state");
      assertFalse(link.robotTookAFrame(), "a state that echoes no frame of ours");
      long now = System.currentTimeMillis() * 1_000_000L;
      robot.publish(Topics.state("r3"), JointState.newBuilder().setSchemaVersion(1).addPosition(0.2)
          .setStages(StageTimestamps.newBuilder().setCaptured(Timestamp.newBuilder().setMonotonicNs(5).setWallNs(now)))
          .build(), 0, false);
      await(link::robotTookAFrame, "the echo of our capture stamp");
      assertTrue(link.latencyNs() >= 0);
      link.close();
    }
  }
}
