package io.optimus.teleop.bench;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.control.LatencyStats;
import io.optimus.bridge.control.MotionRetargeter;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.motion.bvh.BvhBroadcast;
import io.optimus.motion.model.RobotRig;
import io.optimus.teleop.OperatorStream;
import io.optimus.teleop.TeleopSession;
import io.optimus.teleop.link.RobotLink;
import io.optimus.teleop.source.MocapStreamPoseSource;
import java.nio.file.Path;

/**
 * A live mocap stream to the robot's applied command, on loopback: a {@link BvhBroadcast} plays a clip
 * at its Frame Time (120 Hz for the CMU clips) over TCP, {@code teleop}'s {@link MocapStreamPoseSource}
 * reads it, the operator stream goes through an embedded HiveMQ broker to a bridge (real retargeter,
 * supervisor and simulated body). Latency = command applied (bridge clock) minus the frame line's
 * arrival at the source (same host, same monotonic clock): parsing, keypoints, publishing, the broker,
 * waiting for the control tick, retargeting and the supervisor.
 */
public final class MocapStreamLatencyBench {
  /** The figures; {@code frames} counts applied commands measured. */
  public record Result(String clip, double streamHz, String mode, long frames, double p50Ms, double p99Ms,
      double maxMs, long refused, long outages, double seconds) {}

  private MocapStreamLatencyBench() {}

  /** Runs one configuration; {@code sync} phase-locks the bridge's ticks to operator frames. */
  public static Result run(Path clip, RobotRig rig, String world, double controlHz, boolean sync, double warmupS,
      double seconds) throws Exception {
    String id = "mocap-bench-" + Long.toHexString(System.nanoTime() & 0xfffff);
    try (BvhBroadcast suit = BvhBroadcast.start(clip, 0);
        EmbeddedBroker broker = EmbeddedBroker.start(0);
        RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults(id).withRate(controlHz).withCamera(0)
                .withSyncToOperator(sync).withWorld(world))
            .mqtt(MqttSettings.of(broker.url(), "b-" + id))
            .retargeter(new MotionRetargeter(rig.model(), rig.home()))
            .start();
        RobotLink link = RobotLink.connect(broker.url(), id, "suit");
        MocapStreamPoseSource source = MocapStreamPoseSource.of("127.0.0.1:" + suit.port());
        OperatorStream stream = new OperatorStream(source, "suit")) {
      long start = System.nanoTime();
      long warmEnd = start + (long) (warmupS * 1e9);
      long end = warmEnd + (long) (seconds * 1e9);
      boolean[] measuring = {false};
      long[] t0 = {0};
      TeleopSession.run(stream, link, f -> {
        if (!measuring[0] && System.nanoTime() >= warmEnd) {
          measuring[0] = true;
          bridge.loop().latency().clear();
          t0[0] = System.nanoTime();
        }
      }, () -> System.nanoTime() >= end);
      double wall = (System.nanoTime() - t0[0]) / 1e9;
      long[] applied = bridge.loop().latency().appliedSorted();
      return new Result(clip.getFileName().toString(), 1 / source.frameTime(), sync ? "sync" : "fixed",
          applied.length, LatencyStats.quantile(applied, 0.5) / 1e6, LatencyStats.quantile(applied, 0.99) / 1e6,
          applied.length == 0 ? Double.NaN : applied[applied.length - 1] / 1e6, source.refused(), source.outages(),
          wall);
    }
  }
}
