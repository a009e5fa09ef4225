package io.optimus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.bridge.sim.PhysicsSimulatedWorld;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.TaskState;
import io.optimus.proto.v1.Vector3;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bridge in wall time on the physics world over the embedded broker: the task topic carries the
 * physics engine's cube, including motion only physics makes (a cube dropped onto the table).
 */
class PhysicsBridgeOverMqttTest {
  static final RobotRig RIG = new RobotRig(Robots.load("optimus"));

  /**
   * Runs on the control thread, where the engine lives: records the engine's cube pose each tick and,
   * when asked, lifts the cube 10 cm (a teleport, then gravity). Commands nothing.
   */
  static final class CubeProbe implements ActionSource {
    final PhysicsSimulatedWorld world;
    final AtomicReference<double[]> pose = new AtomicReference<>();
    volatile boolean drop;
    volatile double dropHeight = Double.NaN;

    CubeProbe(PhysicsSimulatedWorld world) {
      this.world = world;
    }

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED;
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      PhysicsWorld w = world.physics();
      double[] p = new double[3];
      double[] q = new double[4];
      w.objectPose(0, p, q);
      if (drop) {
        drop = false;
        p[2] += 0.10;
        dropHeight = p[2];
        w.placeObject(0, p, new double[] {1, 0, 0, 0});
      }
      pose.set(p);
      return false;
    }
  }

  @Test
  void taskStatesCarryThePhysicsCubeIncludingADropOntoTheTable() {
    String robot = "phys-mqtt";
    List<TaskState> states = new CopyOnWriteArrayList<>();
    BridgeConfig config = BridgeConfig.defaults(robot).withCamera(0).withSource("command").withWorld("physics");
    try (RobotBridge bridge = RobotBridge.builder(RIG, config)
        .mqtt(MqttSettings.of(Brokers.embedded().url(), "unused")).start();
        MqttEndpoint watch = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "watch-" + robot))) {
      watch.subscribe(Topics.task(robot), 0, TaskState.parser(), (t, s) -> states.add(s));
      CubeProbe probe = new CubeProbe(assertInstanceOf(PhysicsSimulatedWorld.class, bridge.robot().world()));
      bridge.loop().setSource(probe);
      Await.until(() -> states.size() >= 10 && probe.pose.get() != null, 20_000, "task states at rest");
      long t0 = System.nanoTime();
      int n0 = states.size();
      Await.until(() -> states.size() >= n0 + 10, 20_000, "ten more task states");
      double rateHz = (states.size() - n0) / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("physics bridge task topic: %.1f Hz (config %.0f Hz), %d control ticks%n", rateHz,
          config.taskRateHz(), bridge.loop().ticks());
      assertTrue(rateHz > 0.5 * config.taskRateHz(), "task states at " + rateHz + " Hz");

      double restZ = states.get(states.size() - 1).getObjects(0).getPose().getPosition().getZ();
      probe.drop = true;
      Await.until(() -> !Double.isNaN(probe.dropHeight), 5000, "the probe lifted the cube");
      int afterDrop = states.size();
      Await.until(() -> states.size() >= afterDrop + 12, 20_000, "task states during and after the fall");
      List<TaskState> later = states.subList(afterDrop, states.size());
      double highest = later.stream().mapToDouble(s -> s.getObjects(0).getPose().getPosition().getZ()).max().orElseThrow();
      assertTrue(highest > restZ + 0.03, "a published state shows the cube in the air: highest " + highest
          + ", resting " + restZ);

      // at rest again: the last published cube is the engine's cube
      Await.until(() -> {
        double[] p = probe.pose.get();
        Vector3 v = states.get(states.size() - 1).getObjects(0).getPose().getPosition();
        return Math.abs(v.getZ() - p[2]) < 1e-5 && Math.abs(v.getX() - p[0]) < 1e-5 && Math.abs(v.getY() - p[1]) < 1e-5;
      }, 10_000, "the published cube pose equals the engine's");
      Vector3 v = states.get(states.size() - 1).getObjects(0).getPose().getPosition();
      assertEquals(restZ, v.getZ(), 0.002, "back on the table");
      assertEquals(0, bridge.supervisor().contacts(), "no robot contact meanwhile");
    }
  }
}
