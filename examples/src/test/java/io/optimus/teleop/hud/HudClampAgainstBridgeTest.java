package io.optimus.teleop.hud;

import static org.junit.jupiter.api.Assertions.*;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.geometry.proto.Pose3Proto;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.teleop.link.RobotLink;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The headset HUD names the joint the robot cannot follow with: a real attended bridge (retargeter, safety
 * supervisor, simulated body) on an embedded broker, the client's {@link RobotLink} and the HUD status and bar
 * the headset view draws from it ({@link HudStatus#of}, {@link HudRenderer#bar}).
 */
class HudClampAgainstBridgeTest {
  private static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  @Test
  void whileTheNeckIsHeldAtItsLimitTheHudNamesItAndClearsWhenTheOperatorLooksAheadAgain() {
    EmbeddedBroker broker = Brokers.embedded();
    try (RobotBridge bridge = RobotBridge.builder(RIG, BridgeConfig.defaults("hud1").withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC))
            .mqtt(MqttSettings.of(broker.url(), "bridge-hud1"))
            .retargeter(new MotionRetargeter(RIG.model(), RIG.home()))
            .start();
        RobotLink link = RobotLink.connect(broker.url(), "hud1", "op")) {
      Operator op = new Operator(link.endpoint(), "hud1", "op", "s1");
      // looking 80 degrees down: the robot's neck pitches 0.9 rad at most
      var down = Pose3Proto.toProto(new Pose3(new Vec3(0, 0, 1.6), Quat.fromRpy(0, Math.toRadians(80), 0)));
      for (int i = 0; i < 30; i++) { // a deliberate press: released first
        link.publish(op.frame(false, 0).setHead(down).build());
        LockSupport.parkNanos(11_000_000L);
      }
      HudStatus shown = drive(link, op, down, s -> s.clamp().any());
      assertEquals("ENGAGED", shown.safetyMode());
      assertEquals(new ClampedJoint("neck_pitch_joint", "position limit"), shown.clamp(), "the HUD state names it");
      HudRenderer bar = HudRenderer.bar(1536, 64);
      BufferedImage img = bar.renderBar(shown);
      Rectangle c = bar.clampArea();
      assertTrue(amber(img, c) > c.width * c.height / 2, "the bar shows it in amber");

      // looking ahead again: the robot follows, the HUD clears
      shown = drive(link, op, Operator.pose(0, 0, 1.6), s -> !s.clamp().any());
      assertEquals(ClampedJoint.NONE, shown.clamp());
      assertEquals("", link.safety().getRetargetLimitedJoint());
      assertEquals(0, amber(bar.renderBar(shown), c), "nothing amber on the bar");
    }
  }

  /** Sends frames with the deadman held and head pose {@code head} until the HUD status satisfies {@code until}. */
  private static HudStatus drive(RobotLink link, Operator op, io.optimus.proto.v1.Pose head, Predicate<HudStatus> until) {
    long end = System.nanoTime() + 20_000_000_000L;
    HudStatus s = HudStatus.of(link, "hud1", -1, -1);
    while (System.nanoTime() < end && !until.test(s)) {
      link.publish(op.frame(true, 0).setHead(head).build());
      LockSupport.parkNanos(11_000_000L);
      s = HudStatus.of(link, "hud1", -1, -1);
    }
    assertTrue(until.test(s), "HUD state within 20 s: " + s + ", safety " + link.safety());
    return s;
  }

  private static int amber(BufferedImage img, Rectangle r) {
    int n = 0;
    for (int y = r.y; y < r.y + r.height; y++) {
      for (int x = r.x; x < r.x + r.width; x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs((rgb >> 16 & 0xff) - HudRenderer.WARN.getRed()) < 8
            && Math.abs((rgb >> 8 & 0xff) - HudRenderer.WARN.getGreen()) < 8
            && Math.abs((rgb & 0xff) - HudRenderer.WARN.getBlue()) < 8) {
          n++;
        }
      }
    }
    return n;
  }
}
