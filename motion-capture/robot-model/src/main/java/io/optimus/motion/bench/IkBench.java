package io.optimus.motion.bench;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.BodyTargets;
import io.optimus.motion.retarget.OperatorBody;
import io.optimus.motion.retarget.OperatorRetargeter;
import io.optimus.motion.retarget.SyntheticOperator;
import io.optimus.proto.v1.OperatorFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Times per-frame whole-body retargeting (head + 2 palms + 2 hands, {@link OperatorRetargeter}) on a
 * scripted operator stream at 100 Hz, and forward kinematics, on the calling thread (one core).
 */
public final class IkBench {
  /** Per-call figures in microseconds. */
  /**
   * Per-call figures in microseconds. Wall-clock figures include time the thread was preempted (on a
   * shared machine that dominates p99); the CPU-time figures count only this thread's own time, which
   * is what one dedicated core would see.
   */
  public record Figures(String robot, int dof, int frames, boolean handTracking, double medianUs, double p99Us,
      double maxUs, double meanUs, double cpuMedianUs, double cpuP99Us, double fkMedianUs, double fkCpuMeanUs,
      boolean fullBody) {}

  private IkBench() {}

  public static Figures run(RobotModel model, int warmup, int frames, boolean handTracking) {
    return run(model, warmup, frames, handTracking, false);
  }

  /**
   * @param fullBody also every body joint tracked (confidence 1: elbows, shoulders, torso, wrists,
   *     hips, knees as IK tasks next to head and hands)
   */
  public static Figures run(RobotModel model, int warmup, int frames, boolean handTracking, boolean fullBody) {
    OperatorRetargeter r = new OperatorRetargeter(model);
    int n = Math.max(frames, 1);
    OperatorFrame[] stream = new OperatorFrame[1000];
    BodyTargets[] bodies = new BodyTargets[stream.length];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = SyntheticOperator.frame(i + 1, i * 0.01, OperatorBody.DEFAULT, handTracking);
      bodies[i] = fullBody ? SyntheticOperator.body(i * 0.01, OperatorBody.DEFAULT, 1, new BodyTargets()) : null;
    }
    double[] q = r.homePosture();
    double[] out = new double[q.length];
    for (int i = 0; i < warmup; i++) {
      r.retarget(stream[i % stream.length], bodies[i % stream.length], 0.01, q, out);
      System.arraycopy(out, 0, q, 0, q.length);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    long[] t = new long[n];
    long[] c = new long[n];
    long cpuOverhead = 0;
    if (cpu) {
      long[] o = new long[1001];
      for (int i = 0; i < o.length; i++) {
        long a = mx.getCurrentThreadCpuTime();
        o[i] = mx.getCurrentThreadCpuTime() - a;
      }
      Arrays.sort(o);
      cpuOverhead = o[o.length / 2];
    }
    for (int i = 0; i < n; i++) {
      OperatorFrame f = stream[i % stream.length];
      BodyTargets b = bodies[i % stream.length];
      long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
      long t0 = System.nanoTime();
      r.retarget(f, b, 0.01, q, out);
      t[i] = System.nanoTime() - t0;
      c[i] = cpu ? Math.max(0, mx.getCurrentThreadCpuTime() - c0 - cpuOverhead) : 0;
      System.arraycopy(out, 0, q, 0, q.length);
    }
    Arrays.sort(t);
    Arrays.sort(c);
    double mean = Arrays.stream(t).average().orElse(0) / 1e3;

    Kinematics kin = new Kinematics(model);
    KinematicsData d = kin.newData();
    Random rnd = new Random(1);
    for (int i = 0; i < d.q.length; i++) {
      d.q[i] = rnd.nextGaussian() * 0.3;
    }
    int batch = 100;
    int fkRuns = Math.max(2000, n / 10);
    for (int i = 0; i < fkRuns * 10; i++) {
      kin.forward(d);
    }
    long[] fk = new long[fkRuns];
    long fkCpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
    for (int i = 0; i < fkRuns; i++) {
      d.q[i % d.q.length] += 1e-6;
      long t0 = System.nanoTime();
      for (int k = 0; k < batch; k++) {
        kin.forward(d);
      }
      fk[i] = System.nanoTime() - t0;
    }
    double fkCpuMean = cpu ? (mx.getCurrentThreadCpuTime() - fkCpu0) / 1e3 / batch / fkRuns : Double.NaN;
    Arrays.sort(fk);
    int p99 = (int) Math.min(n - 1, Math.ceil(n * 0.99) - 1);
    return new Figures(model.name(), model.dof(), n, handTracking, t[n / 2] / 1e3, t[p99] / 1e3, t[n - 1] / 1e3, mean,
        cpu ? c[n / 2] / 1e3 : Double.NaN, cpu ? c[p99] / 1e3 : Double.NaN, fk[fkRuns / 2] / 1e3 / batch, fkCpuMean, fullBody);
  }
}
