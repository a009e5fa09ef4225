package io.optimus.bridge.bench;

import io.optimus.bridge.engine.ClipCutter;
import io.optimus.bridge.engine.ShadowMonitor;
import io.optimus.bridge.engine.TriggerSettings;
import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.bridge.safety.SafetyConfig;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.ShadowSample;
import io.optimus.proto.v1.Timestamp;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What shadow mode costs per reported tick (on the loop's reporter thread in wall time, the stepping thread
 * stepped): the sample of the tick (clamping the newest
 * prediction, disagreement overall and per joint group, the ShadowSample message), the triggers, and
 * queueing the sample to an episode writer (into {@code dir}, or not recorded when null). Predictions
 * arrive every {@code predictEvery} ticks as from a policy at its rate. Prints nothing; returns figures.
 */
public final class ShadowBench {
  /** Per-tick wall time (µs) and heap bytes allocated on the measuring thread. */
  public record Result(String robot, int joints, int groups, long ticks, boolean recorded, double medianUs,
      double p99Us, double maxUs, long bytesPerTick) {}

  private ShadowBench() {}

  public static Result run(RobotRig rig, long warmupTicks, long ticks, int predictEvery, Path dir) {
    int n = rig.dof();
    JointLimitTable limits = new JointLimitTable(rig.describe("bench", 250, 0).getJointsList(), SafetyConfig.DEFAULT);
    ShadowMonitor shadow = new ShadowMonitor("bench", rig.model(), limits);
    shadow.arm("policy:bench");
    EpisodeWriter writer = dir == null ? null : EpisodeWriter.start(dir.resolve("shadow-bench.mcap"),
        EpisodeHeader.newBuilder().setSchemaVersion(1).setEpisodeId("shadow-bench").setRobot(rig.describe("bench", 250, 0))
            .build());
    try (ClipCutter clips = new ClipCutter("bench", null, TriggerSettings.DEFAULTS)) {
      double[] home = rig.home();
      JointState.Builder state = JointState.newBuilder().setSchemaVersion(1).setRobotId("bench");
      for (double q : home) {
        state.addPosition(q).addVelocity(0).addEffort(0).addCommandedPosition(q);
      }
      ShadowPrediction.Builder p = ShadowPrediction.newBuilder().setRobotId("bench").setSource("policy:bench");
      for (double q : home) {
        p.addPosition(q + 0.1);
      }
      long[] ns = new long[(int) ticks];
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long bytes0 = 0;
      for (long k = 0; k < warmupTicks + ticks; k++) {
        long now = System.nanoTime();
        if (k % predictEvery == 0) {
          shadow.offer(p.setSequence(k).setStateSequence(k).build(), now);
        }
        JointState s = state.setSequence(k).setStamp(Timestamp.newBuilder().setMonotonicNs(now)).build();
        if (k == warmupTicks) {
          bytes0 = mx.getCurrentThreadAllocatedBytes();
        }
        long t0 = System.nanoTime();
        ShadowSample sample = shadow.sample(s, "shadow-bench");
        if (writer != null) {
          writer.offer("/shadow", sample);
        }
        clips.shadowTick("shadow-bench", now, sample.getDisagreement(), sample.getUncertainty());
        long t1 = System.nanoTime();
        if (k >= warmupTicks) {
          ns[(int) (k - warmupTicks)] = t1 - t0;
        }
        if (writer != null && k % 64 == 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // the writer keeps up, as at 250 Hz
        }
      }
      long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
      Arrays.sort(ns);
      int groups = (int) rig.model().dofJoints().stream().map(j -> j.group()).distinct().count();
      return new Result(rig.model().name(), n, groups, ticks, writer != null, ns[ns.length / 2] / 1e3,
          ns[(int) Math.min(ns.length - 1, Math.ceil(0.99 * ns.length) - 1)] / 1e3, ns[ns.length - 1] / 1e3,
          bytes / ticks);
    } finally {
      if (writer != null) {
        writer.finish();
      }
    }
  }
}
