package io.optimus.bridge.bench;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.LatencyStats;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.common.FramePacer;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.proto.v1.HandInput;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Pose;
import io.optimus.proto.v1.Quaternion;
import io.optimus.proto.v1.Timestamp;
import io.optimus.proto.v1.Vector3;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Operator frames at 90 Hz through a broker to the applied joint command, for N simulated robots in
 * this process (each: its own MQTT connection, control loop, whole-body retargeter, safety
 * supervisor, simulated body and task world; camera off). Latency = command applied (bridge clock)
 * minus the frame's capture stamp (operator clock; same host, same monotonic clock), so it includes
 * publishing, the broker, the bridge's MQTT thread, waiting for the next control tick, retargeting
 * and the supervisor.
 */
public final class TeleopLatencyBench {
  public static final double OPERATOR_HZ = 90;

  /** One configuration's figures. CPU is percent of one core. */
  public record Result(String broker, String mode, int robots, long frames, double p50Ms, double p99Ms, double maxMs,
      double transportP50Ms, double transportP99Ms, double loopCpuPerRobot, double processCpuPerRobot,
      double brokerCpu, long overruns, double seconds) {}

  private TeleopLatencyBench() {}

  /**
   * Runs {@code robots} bridges against the broker at {@code url}.
   *
   * @param brokerPid pid of an external broker process whose CPU to report, or -1
   */
  public static Result run(String brokerName, String url, long brokerPid, RobotRig rig, int robots, double rateHz,
      boolean sync, double warmupS, double seconds, Consumer<String> progress) {
    return run(brokerName, url, brokerPid, rig, SimulatedWorlds.DEFAULT, robots, rateHz, sync, warmupS, seconds,
        progress);
  }

  /** As {@link #run(String, String, long, RobotRig, int, double, boolean, double, double, Consumer)} in {@code world}. */
  public static Result run(String brokerName, String url, long brokerPid, RobotRig rig, String world, int robots,
      double rateHz, boolean sync, double warmupS, double seconds, Consumer<String> progress) {
    List<RobotBridge> bridges = new ArrayList<>();
    List<MqttEndpoint> operators = new ArrayList<>();
    String tag = brokerName + robots + (sync ? "s" : "f") + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
    try {
      for (int i = 0; i < robots; i++) {
        String id = "bench-" + tag + "-" + i;
        bridges.add(RobotBridge.builder(rig, BridgeConfig.defaults(id).withRate(rateHz).withCamera(0).withSyncToOperator(sync)
                .withWorld(world))
            .mqtt(MqttSettings.of(url, "b"))
            .retargeter(new MotionRetargeter(rig.model(), rig.home()))
            .start());
        operators.add(MqttEndpoint.connect(MqttSettings.of(url, "op-" + id)));
      }
      progress.accept(brokerName + ": " + robots + " robot(s) up, streaming at " + OPERATOR_HZ + " Hz");
      // Independent operators are not synchronized: robot i's frames go out at phase i/N of the period.
      long period = (long) (1e9 / OPERATOR_HZ);
      long slot = period / robots;
      long start = System.nanoTime();
      long warmEnd = start + (long) (warmupS * 1e9);
      long end = warmEnd + (long) (seconds * 1e9);
      FramePacer pacer = FramePacer.ofPeriod(slot);
      long[] seq = new long[robots];
      int turn = 0;
      boolean measuring = false;
      long cpu0 = 0;
      long[] loopCpu0 = new long[robots];
      long brokerCpu0 = 0;
      long t0 = 0;
      long overruns0 = 0;
      while (true) {
        pacer.awaitWhile(() -> true, () -> false);
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (!measuring && now >= warmEnd) {
          measuring = true;
          for (RobotBridge b : bridges) {
            b.loop().latency().clear();
          }
          cpu0 = processCpu();
          for (int i = 0; i < robots; i++) {
            loopCpu0[i] = bridges.get(i).loop().cpuNanos();
            overruns0 += bridges.get(i).loop().overruns();
          }
          brokerCpu0 = brokerPid > 0 ? processCpu(brokerPid) : 0;
          t0 = now;
        }
        boolean deadman = now - start > 300_000_000L; // released first: a deliberate press engages
        double phase = (now - start) / 1e9;
        operators.get(turn).publishOperatorFrame(bridges.get(turn).config().robotId(),
            frame(++seq[turn], phase + turn, deadman));
        turn = (turn + 1) % robots;
      }
      long t1 = System.nanoTime();
      double wall = (t1 - t0) / 1e9;
      long cpu = processCpu() - cpu0;
      long loopCpu = 0;
      long overruns = -overruns0;
      List<long[]> all = new ArrayList<>();
      List<long[]> transport = new ArrayList<>();
      for (int i = 0; i < robots; i++) {
        RobotBridge b = bridges.get(i);
        loopCpu += b.loop().cpuNanos() - loopCpu0[i];
        overruns += b.loop().overruns();
        all.add(b.loop().latency().appliedSorted());
        transport.add(b.loop().latency().transportSorted());
      }
      double brokerCpu = brokerPid > 0 ? (processCpu(brokerPid) - brokerCpu0) / 1e9 / wall * 100 : Double.NaN;
      long[] merged = merge(all);
      long[] mergedT = merge(transport);
      return new Result(brokerName, sync ? "sync" : "fixed", robots, merged.length,
          LatencyStats.quantile(merged, 0.5) / 1e6, LatencyStats.quantile(merged, 0.99) / 1e6,
          merged.length == 0 ? Double.NaN : merged[merged.length - 1] / 1e6,
          LatencyStats.quantile(mergedT, 0.5) / 1e6, LatencyStats.quantile(mergedT, 0.99) / 1e6,
          loopCpu / 1e9 / wall / robots * 100, cpu / 1e9 / wall / robots * 100, brokerCpu, overruns, wall);
    } finally {
      for (MqttEndpoint o : operators) {
        o.close();
      }
      for (RobotBridge b : bridges) {
        b.close();
      }
    }
  }

  private static long[] merge(List<long[]> parts) {
    int n = 0;
    for (long[] p : parts) {
      n += p.length;
    }
    long[] out = new long[n];
    int o = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    java.util.Arrays.sort(out);
    return out;
  }

  /** A plausible operator: head still, hands tracing slow circles in front of the body. */
  static OperatorFrame frame(long seq, double t, boolean deadman) {
    double a = 0.08 * Math.sin(2 * Math.PI * 0.5 * t);
    double b = 0.08 * Math.cos(2 * Math.PI * 0.5 * t);
    return OperatorFrame.newBuilder()
        .setSchemaVersion(1)
        .setOperatorId("bench")
        .setSessionId("bench")
        .setSource("scripted:bench")
        .setSequence(seq)
        .setCaptureTime(Timestamp.newBuilder().setMonotonicNs(System.nanoTime()))
        .setHead(pose(0, 0, 1.6)).setHeadValid(true)
        .setLeft(HandInput.newBuilder().setGripPose(pose(0.35 + a, 0.2, 1.1 + b)).setGripValid(true).setTracked(true))
        .setRight(HandInput.newBuilder().setGripPose(pose(0.35 + b, -0.2, 1.1 + a)).setGripValid(true).setTracked(true)
            .setTrigger((float) (0.5 + 0.5 * Math.sin(t))))
        .setCommands(OperatorCommands.newBuilder().setDeadman(deadman))
        .build();
  }

  private static Pose pose(double x, double y, double z) {
    return Pose.newBuilder().setPosition(Vector3.newBuilder().setX(x).setY(y).setZ(z))
        .setOrientation(Quaternion.newBuilder().setW(1)).build();
  }

  static long processCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  /** CPU time (ns) of another process from /proc (Linux), 0 when unknown. */
  static long processCpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * 10_000_000L; // USER_HZ = 100 on Linux
    } catch (Exception e) {
      return 0;
    }
  }
}
