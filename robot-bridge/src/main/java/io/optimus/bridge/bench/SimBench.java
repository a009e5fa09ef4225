package io.optimus.bridge.bench;

import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsBackend;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.bridge.world.CameraRenderer;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.common.InputException;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.v1.Timestamp;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Physics speed on the calling thread (one core): one robot on its stand with cubes on the table, its
 * arms sweeping over the table and its hands opening and closing (smooth sinusoids, so contacts come
 * and go as in teleoperation), stepped at the scene's control rate; optionally with cameras rendering
 * the simulated state on the same thread at their rate, as a stepped {@code SimulatedRobot} does.
 * Prints nothing; returns figures.
 */
public final class SimBench {
  /**
   * @param realTimeFactor simulated seconds per wall-clock second over the measured ticks
   * @param tickMedianMs median wall time of one control tick (all substeps)
   */
  public record Result(String engine, String robot, int cubes, double controlHz, int substeps, double simulatedSeconds,
      double wallSeconds, double realTimeFactor, double tickMedianMs, double tickP99Ms, double tickMaxMs,
      Cameras cameras) {}

  /**
   * What the cameras cost, when some rendered.
   *
   * @param names the cameras rendered each round, e.g. [head, left_wrist, right_wrist]
   * @param roundMedianMs median wall time of one round (every camera once, with forward kinematics and the frames)
   * @param bytesPerRound heap allocated per round on the rendering thread (-1 where the JVM does not tell)
   */
  public record Cameras(List<String> names, double rateHz, long rounds, double roundMedianMs, double roundP99Ms,
      long bytesPerRound) {}

  private SimBench() {}

  /**
   * @param warmupSeconds simulated seconds stepped first and not measured (JIT, contact caches)
   */
  public static Result run(PhysicsBackend backend, RobotModel model, PhysicsScene baseScene, int cubes,
      double warmupSeconds, double seconds, long seed) {
    return run(backend, new RobotRig(model), baseScene, cubes, warmupSeconds, seconds, seed, List.of(), 0);
  }

  /**
   * @param cameras names of the rig's cameras to render ({@link RobotRig#cameras()}), empty for none
   * @param cameraHz their rate; a round renders before the tick it is due in, inside that tick's time
   */
  public static Result run(PhysicsBackend backend, RobotRig rig, PhysicsScene baseScene, int cubes,
      double warmupSeconds, double seconds, long seed, List<String> cameras, double cameraHz) {
    RobotModel model = rig.model();
    if (!cameras.isEmpty() && !(cameraHz > 0 && cameraHz <= 120)) {
      throw new InputException("camera rate " + cameraHz + " Hz is out of range 0-120");
    }
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
    double[] home = rig.home();
    CameraRound cams = cameras.isEmpty() ? null : new CameraRound(rig, cameras, scene.tableTop());
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
      long cameraEvery = cams == null ? Long.MAX_VALUE : Math.max(1, Math.round(scene.controlHz() / cameraHz));
      for (long t = 0; t < warm; t++) {
        if (cams != null && t % cameraEvery == 0) {
          cams.render(w, false);
        }
        w.command(motion.at(t * dt));
        w.step();
      }
      for (int k = 0; cams != null && k < 200; k++) {
        cams.render(w, false); // the renderers' JIT warm-up: 200 rounds on the state reached, not measured
      }
      long start = System.nanoTime();
      for (int t = 0; t < n; t++) {
        double[] target = motion.at((warm + t) * dt);
        long t0 = System.nanoTime();
        if (cams != null && (warm + t) % cameraEvery == 0) {
          cams.render(w, true);
        }
        w.command(target);
        w.step();
        tickNs[t] = System.nanoTime() - t0;
      }
      double wall = (System.nanoTime() - start) / 1e9;
      Arrays.sort(tickNs);
      return new Result(backend.name(), model.name(), cubes, scene.controlHz(), scene.substeps(), seconds, wall,
          seconds / wall, tickNs[n / 2] / 1e6, quantile(tickNs, n, 0.99), tickNs[n - 1] / 1e6,
          cams == null ? null : cams.result(cameraHz));
    }
  }

  private static double quantile(long[] sorted, int n, double q) {
    return n == 0 ? Double.NaN : sorted[Math.min(n - 1, Math.max(0, (int) Math.ceil(q * n) - 1))] / 1e6;
  }

  /** One camera round from the physics state: joints into forward kinematics, the first cube's pose, every camera. */
  private static final class CameraRound {
    private final RobotRig rig;
    private final CameraRenderer[] renderers;
    private final KinematicsData kin;
    private final TaskWorld view;
    private final double[] orientation = new double[4];
    private final long[] roundNs = new long[1 << 16];
    private final com.sun.management.ThreadMXBean threads;
    private int rounds;
    private long bytes;
    private long sequence;

    CameraRound(RobotRig rig, List<String> names, double tableTop) {
      this.rig = rig;
      this.renderers = names.stream().map(c -> new CameraRenderer(rig, c, "bench")).toArray(CameraRenderer[]::new);
      this.kin = rig.kinematics().newData();
      this.view = new TaskWorld("bench", "pick-place", 1, tableTop);
      this.threads = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
          && t.isThreadAllocatedMemorySupported() ? t : null;
    }

    void render(PhysicsWorld w, boolean measured) {
      long a0 = measured && threads != null ? threads.getCurrentThreadAllocatedBytes() : 0;
      long t0 = System.nanoTime();
      w.readJoints(kin.q, null, null);
      rig.forwardOnStand(kin); // the physics robot stands on its stand
      if (w.objectCount() > 0) {
        w.objectPose(0, view.cube().position, orientation);
        System.arraycopy(orientation, 0, view.cube().orientation, 0, 4);
      }
      Timestamp stamp = Timestamp.newBuilder().setMonotonicNs(w.timeNs()).build();
      sequence++;
      for (CameraRenderer r : renderers) {
        r.render(kin, view, sequence, stamp);
      }
      if (measured && rounds < roundNs.length) {
        roundNs[rounds++] = System.nanoTime() - t0;
        bytes += threads != null ? threads.getCurrentThreadAllocatedBytes() - a0 : 0;
      }
    }

    Cameras result(double hz) {
      long[] sorted = Arrays.copyOf(roundNs, rounds);
      Arrays.sort(sorted);
      return new Cameras(Arrays.stream(renderers).map(CameraRenderer::name).toList(), hz, rounds,
          rounds == 0 ? Double.NaN : sorted[rounds / 2] / 1e6, quantile(sorted, rounds, 0.99),
          threads == null || rounds == 0 ? -1 : bytes / rounds);
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
