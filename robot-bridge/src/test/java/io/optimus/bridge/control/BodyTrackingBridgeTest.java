package io.optimus.bridge.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.SafetyStatus;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Where the robot cannot follow, the bridge's safety status names the joint (for the HUD). */
class BodyTrackingBridgeTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void theSafetyStatusNamesTheJointTheRetargeterHoldsAtALimit() {
    EmbeddedBroker broker = Brokers.embedded();
    AtomicReference<SafetyStatus> status = new AtomicReference<>();
    try (MqttEndpoint watch = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-lim1"));
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("lim1").withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC))
            .mqtt(MqttSettings.of(broker.url(), "unused"))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-lim1"))) {
      watch.subscribe(Topics.safety("lim1"), 1, SafetyStatus.parser(), (t, s) -> status.set(s));
      Operator op = new Operator(opClient, "lim1");
      // looking far down: 80 degrees, the neck pitches 0.9 rad at most
      var down = Pose3Proto.toProto(new Pose3(new Vec3(0, 0, 1.6), Quat.fromRpy(0, Math.toRadians(80), 0)));
      // engaging needs a deliberate press: the bridge must see the deadman released first
      for (int i = 0; i < 30; i++) {
        op.send(op.frame(false, 0).setHead(down).build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      long end = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < end
          && (status.get() == null || !status.get().getRetargetLimitedJoint().equals("neck_pitch_joint"))) {
        op.send(op.frame(true, 0).setHead(down).build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      assertEquals("neck_pitch_joint", status.get() == null ? null : status.get().getRetargetLimitedJoint());
      // looking ahead again: the status clears
      end = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < end && !status.get().getRetargetLimitedJoint().isEmpty()) {
        op.send(op.frame(true, 0).build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      assertEquals("", status.get().getRetargetLimitedJoint());
    }
  }

  @Test
  void whileBodyJointsArriveTheSafetyStatusCarriesClosenessPerSegment() {
    EmbeddedBroker broker = Brokers.embedded();
    AtomicReference<SafetyStatus> status = new AtomicReference<>();
    try (MqttEndpoint watch = MqttEndpoint.connect(MqttSettings.of(broker.url(), "watch-close1"));
        RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("close1").withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC))
            .mqtt(MqttSettings.of(broker.url(), "unused"))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        MqttEndpoint opClient = MqttEndpoint.connect(MqttSettings.of(broker.url(), "op-close1"))) {
      watch.subscribe(Topics.safety("close1"), 1, SafetyStatus.parser(), (t, s) -> status.set(s));
      Operator op = new Operator(opClient, "close1");
      var synthetic = io.optimus.motion.retarget.SyntheticOperator.frame(1, 0,
          io.optimus.motion.retarget.OperatorBody.DEFAULT, false);
      var body = MotionRetargeterBodyTest.skeleton(1, false);
      long end = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < end && (status.get() == null || status.get().getBodyClosenessCount() < 7
          || status.get().getBodyCloseness(2).getSamples() < 200)) {
        op.send(op.frame(true, 0).setSchemaVersion(OperatorFrameValidator.SCHEMA_VERSION).setHead(synthetic.getHead())
            .setLeft(synthetic.getLeft()).setRight(synthetic.getRight()).setBody(body).build());
        java.util.concurrent.locks.LockSupport.parkNanos(11_000_000L);
      }
      SafetyStatus s = status.get();
      assertEquals(java.util.List.of("head", "torso", "upper_arms", "forearms", "hands", "thighs", "shins"),
          s.getBodyClosenessList().stream().map(c -> c.getSegment()).toList());
      var upper = s.getBodyCloseness(2);
      org.junit.jupiter.api.Assertions.assertTrue(upper.getPositionMeanM() < 0.10 && upper.getOrientationMeanDeg() < 25,
          "the robot follows the operator's upper arms: " + upper);
    }
  }
}
