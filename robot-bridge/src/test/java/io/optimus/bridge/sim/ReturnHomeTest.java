package io.optimus.bridge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link io.optimus.bridge.control.ControlLoop#returnHome} (what a task reset does): a simulated robot, physics or
 * kinematic, is back at its home pose at rest with its command on the next tick, and the driving source starts
 * afresh; without it, scripted episodes live started from wherever the last one left the arms.
 */
class ReturnHomeTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));
  static final BridgeConfig CONFIG = BridgeConfig.defaults("home-bot").withCamera(0).withTask("handover", 3);

  /** Holds the right elbow 0.6 rad off home; counts its activations. */
  static final class BentElbow implements ActionSource {
    final int elbow = RIG.model().qIndex("right_elbow_joint");
    volatile int activations;

    @Override
    public String name() {
      return "bent-elbow";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
    }

    @Override
    public void activate(ControlContext ctx) {
      activations++;
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      double[] home = RIG.home();
      System.arraycopy(home, 0, target, 0, target.length);
      var lim = RIG.model().dofJoints().stream().filter(j -> j.qIndex() == elbow).findFirst().orElseThrow().limits();
      target[elbow] = home[elbow] + (lim.upper() - home[elbow] > home[elbow] - lim.lower() ? 0.6 : -0.6);
      return true;
    }
  }

  @Test
  void thePhysicsRobotIsBackHomeWithItsCommandOnTheNextTick() {
    check(PhysicsSimulatedWorld.FACTORY);
  }

  @Test
  void theKinematicRobotIsBackHomeWithItsCommandOnTheNextTick() {
    check(KinematicWorld.FACTORY);
  }

  /** A task reset control request to a bridge in wall time returns its simulated robot home (the source starts afresh). */
  @Test
  void aTaskResetRequestReturnsTheBridgesRobotHome() {
    try (io.optimus.bridge.RobotBridge bridge = io.optimus.bridge.RobotBridge.builder(RIG, CONFIG.withSource("command")).start()) {
      BentElbow source = new BentElbow();
      bridge.loop().setSource(source);
      bridge.supervisor().engageUnattended(System.nanoTime(), "test");
      double home = RIG.home()[source.elbow];
      double[] q = new double[RIG.dof()];
      io.optimus.bridge.testing.Await.until(() -> {
        bridge.loop().snapshot(q);
        return Math.abs(q[source.elbow] - home) > 0.3;
      }, 20_000, "the elbow to bend");
      assertEquals(1, source.activations);
      var reply = bridge.handle(io.optimus.proto.v1.ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("reset-1")
          .setRequester("test").setStamp(io.optimus.common.Stamps.now())
          .setResetTask(io.optimus.proto.v1.ResetTaskRequest.newBuilder().setSeed(1001)).build());
      assertTrue(reply.getOk(), reply.getMessage());
      io.optimus.bridge.testing.Await.until(() -> source.activations == 2, 20_000, "the robot placed home (the source re-activated)");
      assertEquals(1001, bridge.world().seed());
    }
  }

  private static void check(SimulatedWorld.Factory factory) {
    List<JointState> states = new ArrayList<>();
    try (SimulatedRobot r = SimulatedRobot.builder(RIG, CONFIG).world(factory).output(new io.optimus.bridge.control.ControlLoop.Output() {
      @Override
      public void state(JointState s) {
        states.add(s);
      }
    }).build()) {
      long p = (long) (1e9 / CONFIG.controlRateHz());
      long t = 0;
      BentElbow source = new BentElbow();
      r.loop().setSource(source);
      r.supervisor().engageUnattended(t, "test");
      for (int k = 0; k < 500; k++) {
        r.step(t += p);
      }
      double home = RIG.home()[source.elbow];
      JointState bent = states.get(states.size() - 1);
      assertTrue(Math.abs(bent.getPosition(source.elbow) - home) > 0.3, "the elbow bent: " + bent.getPosition(source.elbow));
      assertEquals(1, source.activations);
      r.loop().returnHome();
      r.step(t += p);
      JointState after = states.get(states.size() - 1);
      double[] q = RIG.home();
      double worst = 0;
      for (int i = 0; i < q.length; i++) {
        worst = Math.max(worst, Math.abs(after.getPosition(i) - q[i]));
      }
      // one tick of motion from home towards the source's target, under the velocity limits
      assertTrue(worst < 0.05, "measured back at home (largest joint " + worst + " rad off)");
      assertTrue(Math.abs(after.getCommandedPosition(source.elbow) - home) < 0.05,
          "the command moved with it: " + after.getCommandedPosition(source.elbow));
      assertEquals(2, source.activations, "the source starts afresh from home");
    }
  }
}
