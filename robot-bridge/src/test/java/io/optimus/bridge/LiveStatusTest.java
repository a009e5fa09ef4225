package io.optimus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Brokers;
import io.optimus.bridge.testing.Operator;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.StageQuantiles;
import io.optimus.proto.v1.StageTimestamps;
import io.optimus.proto.v1.Timestamp;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The live fleet status: measured from the published states without allocating, and republished on change. */
class LiveStatusTest {
  private static JointState state(long tick, long nowNs, long opSeq, long captured, ControlMode mode) {
    return JointState.newBuilder().setSequence(tick).setMode(mode).setOperatorSequence(opSeq)
        .setStamp(Timestamp.newBuilder().setMonotonicNs(nowNs))
        .setStages(StageTimestamps.newBuilder().setCaptured(Timestamp.newBuilder().setMonotonicNs(captured))
            .setReceivedNs(captured + 2_000_000).setRetargetedNs(captured + 5_000_000)
            .setAppliedNs(captured + 5_100_000).setPublishedNs(captured + 5_300_000))
        .build();
  }

  @Test
  void quantilesAndRateComeFromTheStatesAndSamplingAllocatesNothing() {
    LiveStatus live = new LiveStatus();
    JointState[] states = new JointState[1000];
    for (int i = 0; i < states.length; i++) { // 250 Hz, a new operator frame every 3rd tick
      long now = 1_000_000_000L + i * 4_000_000L;
      states[i] = state(i, now, i / 3, now - 6_000_000L, i < 500 ? ControlMode.CONTROL_MODE_DISENGAGED
          : ControlMode.CONTROL_MODE_ENGAGED);
    }
    for (int i = 0; i < 499; i++) {
      assertFalse(live.sample(states[i]), "no change at " + i);
    }
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    int changes = 0;
    for (int i = 499; i < states.length; i++) {
      changes += live.sample(states[i]) ? 1 : 0;
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "501 samples allocated " + allocated + " bytes");
    assertEquals(1, changes, "the engage is one change");
    BridgeStatus.Builder b = BridgeStatus.newBuilder();
    live.describe(b);
    assertTrue(b.getEngaged());
    assertEquals(ControlMode.CONTROL_MODE_ENGAGED, b.getSafetyMode());
    assertEquals(250, b.getLoopRateHz(), 0.5);
    Map<String, StageQuantiles> by = b.getLatencyList().stream().collect(Collectors.toMap(StageQuantiles::getStage,
        Function.identity()));
    assertEquals(List.of(LiveStatus.STAGES), b.getLatencyList().stream().map(StageQuantiles::getStage).toList());
    assertEquals(2.0, by.get("transport").getP50Ms(), 1e-9);
    assertEquals(3.0, by.get("retarget").getP99Ms(), 1e-9);
    assertEquals(0.1, by.get("apply").getP50Ms(), 1e-9);
    assertEquals(0.2, by.get("publish").getP99Ms(), 1e-9);
    assertEquals(3.3, by.get("bridge").getP50Ms(), 1e-9);
    assertEquals(334, by.get("transport").getSamples(), "once per operator frame");
    assertEquals(LiveStatus.CAPACITY, by.get("publish").getSamples(), "the newest samples only");
  }

  /** An operator elsewhere (another monotonic clock) gives no capture-based samples, rather than nonsense. */
  @Test
  void captureStagesOfAnotherHostsClockAreLeftOut() {
    LiveStatus live = new LiveStatus();
    JointState s = state(1, 1_000_000_000L, 1, 0, ControlMode.CONTROL_MODE_ENGAGED);
    s = s.toBuilder().setStages(s.getStages().toBuilder()
        .setCaptured(Timestamp.newBuilder().setMonotonicNs(900_000_000_000_000L))).build(); // ahead of our clock
    live.sample(s);
    BridgeStatus.Builder b = BridgeStatus.newBuilder();
    live.describe(b);
    assertEquals(0, b.getLatency(0).getSamples());
    assertEquals(1, b.getLatency(1).getSamples());
  }

  @Test
  void theRetainedStatusFollowsTheOperatorEngagingAndLetGo() {
    RobotRig rig = new RobotRig(Robots.load("optimus"));
    String robot = "live1";
    try (RobotBridge bridge = RobotBridge.builder(rig, BridgeConfig.defaults(robot).withCamera(0)
            .withWorld(SimulatedWorlds.KINEMATIC)).mqtt(MqttSettings.of(Brokers.embedded().url(), "bridge-live1"))
            .retargeter((f, dt, q, out) -> System.arraycopy(rig.home(), 0, out, 0, out.length)).start();
        MqttEndpoint client = MqttEndpoint.connect(MqttSettings.of(Brokers.embedded().url(), "live1-op"))) {
      List<BridgeStatus> statuses = new CopyOnWriteArrayList<>();
      AtomicReference<BridgeStatus> last = new AtomicReference<>();
      client.subscribe(Topics.status(robot), 1, BridgeStatus.parser(), (t, s) -> {
        statuses.add(s);
        last.set(s);
      });
      Await.until(() -> statuses.size() >= 3 && last.get().getLoopRateHz() > 100, 15_000,
          () -> "the presence, republished about once a second with the loop rate: " + statuses.size() + " "
              + (last.get() == null ? "" : last.get().getLoopRateHz()));
      BridgeStatus idle = last.get();
      assertTrue(idle.getOnline());
      assertFalse(idle.getEngaged());
      assertEquals("", idle.getOperatorId());
      assertEquals(ControlMode.CONTROL_MODE_DISENGAGED, idle.getSafetyMode());
      assertTrue(idle.getLoopRateHz() < 300, "loop rate " + idle.getLoopRateHz());

      Operator op = new Operator(client, robot);
      stream(op, false, 200);
      long engageAt = System.nanoTime();
      int before = statuses.size();
      long end = System.nanoTime() + 10_000_000_000L;
      for (int n = 0; System.nanoTime() < end && !(last.get().getEngaged() && last.get().getOperatorId()
          .equals("tester")); n++) {
        if (n > 0 && n % 20 == 0) { // a stall on a loaded machine tripped the watchdog: press again
          stream(op, false, 150);
        }
        stream(op, true, 50);
      }
      double ms = (System.nanoTime() - engageAt) / 1e6;
      BridgeStatus engaged = last.get();
      assertTrue(engaged.getEngaged(), "engaged after " + ms + " ms: " + engaged);
      assertEquals("tester", engaged.getOperatorId());
      assertEquals(ControlMode.CONTROL_MODE_ENGAGED, engaged.getSafetyMode());
      StageQuantiles transport = engaged.getLatencyList().stream().filter(l -> l.getStage().equals("transport"))
          .findFirst().orElseThrow();
      assertTrue(transport.getSamples() > 0 && transport.getP99Ms() >= transport.getP50Ms() && transport.getP50Ms() > 0,
          transport.toString());
      assertTrue(statuses.size() - before <= 20, "not a status per frame: " + (statuses.size() - before));
      long releaseAt = System.nanoTime();
      end = releaseAt + 10_000_000_000L;
      while (System.nanoTime() < end && last.get().getEngaged()) {
        stream(op, false, 50);
      }
      assertFalse(last.get().getEngaged(), "let go: no longer engaged");
      System.out.printf("status engaged %.0f ms after the first deadman frame, disengaged %.0f ms after release%n",
          ms, (System.nanoTime() - releaseAt) / 1e6);
    }
  }

  private static void stream(Operator op, boolean deadman, long ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      op.send(deadman, 0);
      LockSupport.parkNanos(11_000_000L);
    }
  }
}
