package io.optimus.bridge.bench;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.common.FileTrees;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.control.LatencyStats;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.safety.EstopLatch;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.EstopRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * E-stop control requests sent to one bridge (simulated body, 250 Hz) through a broker, quiet or
 * while {@link BridgeFlood} floods every topic the bridge subscribes to. Per e-stop: arrival at the
 * bridge -> latched (the supervisor's stamps), the control ticks in between, and sent -> latched
 * (sender and bridge share this process's monotonic clock). Each e-stop is reset before the next.
 */
public final class EstopLatencyBench {
  /**
   * One configuration's figures; latencies in ms; lost = not latched within 5 s of sending; late = of
   * those, latched afterwards (while a later one was awaited).
   */
  public record Result(String load, int estops, int lost, int late, double arrivalP50Ms, double arrivalP99Ms,
      double arrivalMaxMs, long maxTicksWaited, double sentP50Ms, double sentP99Ms, double sentMaxMs,
      long floodMessages) {}

  private EstopLatencyBench() {}

  public static Result run(String url, RobotRig rig, double rateHz, boolean flood, int estops, double warmupS,
      Consumer<String> progress) throws java.io.IOException {
    String id = "estop-bench-" + (flood ? "f" : "q") + Long.toHexString(System.nanoTime() & 0xfffff);
    Path dir = Files.createTempDirectory("optimus-estop-bench-");
    long[] arrival = new long[estops];
    long[] sent = new long[estops];
    int n = 0;
    int lost = 0;
    int late = 0;
    long maxTicks = 0;
    long floodMessages = 0;
    try (RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults(id).withRate(rateHz).withCamera(0)
            .withRecordDir(dir).withUnattended(true).withSource("command"))
        .mqtt(MqttSettings.of(url, "b")).start();
        MqttEndpoint estopper = MqttEndpoint.connect(MqttSettings.of(url, "estop-" + id));
        BridgeFlood f = flood ? new BridgeFlood(url, id) : null) {
      progress.accept("estop: " + (flood ? "flooded" : "quiet") + " bridge up; " + warmupS + " s warm-up, then "
          + estops + " e-stops");
      LockSupport.parkNanos((long) (warmupS * 1e9));
      for (int i = 0; i < estops; i++) {
        long t0 = System.nanoTime();
        estopper.publish(Topics.control(id), ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("e" + i)
            .setEstop(EstopRequest.newBuilder().setReason("bench " + i)).build(), MqttEndpoint.QOS_RELIABLE, false);
        long deadline = t0 + 5_000_000_000L;
        EstopLatch mine = null;
        EstopLatch handledLate = null;
        boolean last = false;
        while (mine == null && !last) {
          last = System.nanoTime() >= deadline; // one more look after the deadline: this thread may have slept
          EstopLatch l = bridge.supervisor().lastEstopLatch();
          if (l != null && l.latchNs() >= t0 && l != handledLate) {
            if (l.reason().endsWith("bench " + i)) {
              mine = l;
            } else {
              late++; // an earlier one, latched after its 5 s
              handledLate = l;
              bridge.supervisor().resetEstop(System.nanoTime(), "bench: a late earlier e-stop");
            }
          }
          LockSupport.parkNanos(100_000L);
        }
        if (mine == null || mine.latchNs() > deadline) {
          lost++; // not latched within 5 s
          late += mine == null ? 0 : 1;
        } else {
          arrival[n] = mine.latencyNs();
          sent[n] = mine.latchNs() - t0;
          maxTicks = Math.max(maxTicks, mine.ticksWaited());
          n++;
        }
        bridge.supervisor().resetEstop(System.nanoTime(), "bench");
        LockSupport.parkNanos(50_000_000L); // let the reset settle; e-stops are rare events
      }
      floodMessages = f == null ? 0 : f.messages();
    } finally {
      FileTrees.deleteQuietly(dir);
    }
    long[] a = Arrays.copyOf(arrival, n);
    long[] s = Arrays.copyOf(sent, n);
    Arrays.sort(a);
    Arrays.sort(s);
    return new Result(flood ? "flood" : "quiet", n, lost, late, LatencyStats.quantile(a, 0.5) / 1e6,
        LatencyStats.quantile(a, 0.99) / 1e6, n == 0 ? Double.NaN : a[n - 1] / 1e6, maxTicks,
        LatencyStats.quantile(s, 0.5) / 1e6, LatencyStats.quantile(s, 0.99) / 1e6,
        n == 0 ? Double.NaN : s[n - 1] / 1e6, floodMessages);
  }
}
