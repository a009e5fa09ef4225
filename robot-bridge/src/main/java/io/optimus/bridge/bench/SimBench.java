package io.optimus.bridge.bench;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsBackend;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.common.InputException;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Physics speed on the calling thread (one core): one robot on its stand with cubes on the table, its
 * arms sweeping over the table and its hands opening and closing (smooth sinusoids, so contacts come
 * and go as in teleoperation), stepped at the scene's control rate. Prints nothing; returns figures.
 */
public final class SimBench {
  /**
   * @param realTimeFactor simulated seconds per wall-clock second over the measured ticks
   * @param tickMedianMs median wall time of one control tick (all substeps)
   */
  public record Result(String engine, String robot, int cubes, double controlHz, int substeps, double simulatedSeconds,
      double wallSeconds, double realTimeFactor, double tickMedianMs, double tickP99Ms, double tickMaxMs) {}

  private SimBench() {}

  /**
   * @param warmupSeconds simulated seconds stepped first and not measured (JIT, contact caches)
   */
  public static Result run(PhysicsBackend backend, RobotModel model, PhysicsScene baseScene, int cubes,
      double warmupSeconds, double seconds, long seed) {
    if (cubes < 0 || cubes > 50) {
      throw new InputException("cubes " + cubes + " is out of range 0-50");
    }
    if (!(seconds > 0 && seconds <= 36_000) || !(warmupSeconds >= 0 && warmupSeconds <= 600)) {
      throw new InputException("seconds " + seconds + " / warm-up " + warmupSeconds + " is out of range");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ObjectSpec> specs = new ArrayList<>();
    for (int k = 0; k < cubes; k++) {
      specs.add(ObjectSpec.cube("cube" + k, 0.03 + 0.03 * rnd.nextDouble(), 0.05 + 0.15 * rnd.nextDouble(), 0.6));
    }
    PhysicsScene scene = baseScene.withObjects(specs);
    RobotRig rig = new RobotRig(model);
    double[] home = rig.home();
    try (PhysicsWorld w = backend.create(model, scene, home)) {
      for (int k = 0; k < cubes; k++) {
        double s = specs.get(k).sz();
        w.placeObject(k, new double[] {0.28 + 0.25 * rnd.nextDouble(), -0.3 + 0.6 * rnd.nextDouble(), scene.tableTop() + s / 2},
            new double[] {1, 0, 0, 0});
      }
      Motion motion = new Motion(model, home);
      double dt = scene.tickSeconds();
      long warm = Math.round(warmupSeconds * scene.controlHz());
      int n = (int) Math.round(seconds * scene.controlHz());
      long[] tickNs = new long[n];
      for (long t = 0; t < warm; t++) {
        w.command(motion.at(t * dt));
        w.step();
      }
      long start = System.nanoTime();
      for (int t = 0; t < n; t++) {
        double[] target = motion.at((warm + t) * dt);
        long t0 = System.nanoTime();
        w.command(target);
        w.step();
        tickNs[t] = System.nanoTime() - t0;
      }
      double wall = (System.nanoTime() - start) / 1e9;
      Arrays.sort(tickNs);
      return new Result(backend.name(), model.name(), cubes, scene.controlHz(), scene.substeps(), seconds, wall,
          seconds / wall, tickNs[n / 2] / 1e6, tickNs[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)] / 1e6,
          tickNs[n - 1] / 1e6);
    }
  }

  /** Arms swing forward over the table and back (4 s period), hands close and open (2 s period). */
  private static final class Motion {
    private final double[] home;
    private final double[] target;
    private final int[] shoulderPitch;
    private final int[] elbow;
    private final int[] fingers;
    private final double[] fingerClosed;

    Motion(RobotModel model, double[] home) {
      this.home = home;
      this.target = home.clone();
      this.shoulderPitch = indices(model, "shoulder_pitch");
      this.elbow = indices(model, "elbow");
      List<Integer> f = new ArrayList<>();
      List<Double> closed = new ArrayList<>();
      for (Joint j : model.dofJoints()) {
        if (j.group().endsWith("_hand") && j.limits().hasPositionLimits()) {
          f.add(j.qIndex());
          double lo = j.limits().lower();
          double hi = j.limits().upper();
          closed.add(Math.abs(hi) >= Math.abs(lo) ? hi : lo);
        }
      }
      this.fingers = f.stream().mapToInt(Integer::intValue).toArray();
      this.fingerClosed = closed.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int[] indices(RobotModel model, String part) {
      return model.dofJoints().stream().filter(j -> j.name().contains(part)).mapToInt(Joint::qIndex).toArray();
    }

    double[] at(double t) {
      double swing = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / 4);
      for (int i : shoulderPitch) {
        target[i] = home[i] - 0.9 * swing;
      }
      for (int i : elbow) {
        target[i] = home[i] * (1 + swing);
      }
      double grip = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / 2);
      for (int k = 0; k < fingers.length; k++) {
        target[fingers[k]] = home[fingers[k]] + grip * (fingerClosed[k] - home[fingers[k]]);
      }
      return target;
    }
  }
}
