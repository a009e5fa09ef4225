package io.optimus.bridge;

import io.optimus.proto.v1.BridgeStatus;
import io.optimus.proto.v1.ControlMode;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.StageQuantiles;
import io.optimus.proto.v1.StageTimestamps;
import java.util.Arrays;

/**
 * What the fleet view shows of a running control loop (BridgeStatus fields 13-17), measured from the
 * states it publishes: the safety mode, the loop rate over the last second, and per stage of
 * {@link StageTimestamps} the p50/p99 of the newest {@value #CAPACITY} samples. {@link #sample} runs on
 * the loop's reporter thread every published state and allocates nothing; {@link #describe} sorts a
 * preallocated copy when the status is built (about once a second).
 */
final class LiveStatus {
  /** Stage names as in {@link StageQuantiles#getStage()}. */
  static final String[] STAGES = {"transport", "retarget", "apply", "publish", "bridge"};
  private static final int TRANSPORT = 0;
  private static final int RETARGET = 1;
  private static final int APPLY = 2;
  private static final int PUBLISH = 3;
  private static final int BRIDGE = 4;
  static final int CAPACITY = 512; // ~2 s of ticks at 250 Hz
  private static final long RATE_WINDOW_NS = 1_000_000_000L;
  /** Operator clocks on another host make capture-based stages meaningless: such samples are left out. */
  private static final long MAX_PLAUSIBLE_NS = 10_000_000_000L;

  private final long[][] rings = new long[STAGES.length][CAPACITY];
  private final long[] written = new long[STAGES.length];
  private final long[] scratch = new long[CAPACITY];
  private long lastOperatorSequence = -1;
  private long windowStartNs = Long.MIN_VALUE;
  private long windowStartTick;
  private double rateHz;
  private ControlMode mode = ControlMode.CONTROL_MODE_DISENGAGED;

  /** One published state (the loop's reporter thread). True when the safety mode changed. */
  synchronized boolean sample(JointState s) {
    long now = s.getStamp().getMonotonicNs();
    if (windowStartNs == Long.MIN_VALUE) {
      windowStartNs = now;
      windowStartTick = s.getSequence();
    } else if (now - windowStartNs >= RATE_WINDOW_NS) {
      rateHz = (s.getSequence() - windowStartTick) * 1e9 / (now - windowStartNs);
      windowStartNs = now;
      windowStartTick = s.getSequence();
    }
    StageTimestamps st = s.getStages();
    add(APPLY, st.getAppliedNs() - st.getRetargetedNs());
    add(PUBLISH, st.getPublishedNs() - st.getAppliedNs());
    if (st.getReceivedNs() != 0 && s.getOperatorSequence() != lastOperatorSequence) { // once per operator frame
      lastOperatorSequence = s.getOperatorSequence();
      add(RETARGET, st.getRetargetedNs() - st.getReceivedNs());
      add(BRIDGE, st.getPublishedNs() - st.getReceivedNs());
      long captured = st.getCaptured().getMonotonicNs();
      if (captured > 0 && plausible(st.getReceivedNs() - captured)) {
        add(TRANSPORT, st.getReceivedNs() - captured);
      }
    }
    ControlMode m = s.getMode();
    boolean changed = m != mode;
    mode = m;
    return changed;
  }

  private static boolean plausible(long ns) {
    return ns >= 0 && ns < MAX_PLAUSIBLE_NS;
  }

  private void add(int stage, long ns) {
    rings[stage][(int) (written[stage] % CAPACITY)] = ns;
    written[stage]++;
  }

  synchronized ControlMode mode() {
    return mode;
  }

  synchronized double rateHz() {
    return rateHz;
  }

  /** Adds the measured fields (engaged, safety mode, loop rate, latency per stage) to a status. */
  synchronized void describe(BridgeStatus.Builder b) {
    b.setEngaged(mode == ControlMode.CONTROL_MODE_ENGAGED).setSafetyMode(mode).setLoopRateHz(rateHz);
    for (int i = 0; i < STAGES.length; i++) {
      int n = (int) Math.min(written[i], CAPACITY);
      System.arraycopy(rings[i], 0, scratch, 0, n);
      Arrays.sort(scratch, 0, n);
      b.addLatency(StageQuantiles.newBuilder().setStage(STAGES[i]).setSamples(n)
          .setP50Ms(n == 0 ? 0 : quantile(n, 0.50) / 1e6).setP99Ms(n == 0 ? 0 : quantile(n, 0.99) / 1e6));
    }
  }

  /** Nearest-rank quantile of the first {@code n} sorted samples in {@link #scratch}. */
  private double quantile(int n, double q) {
    int i = (int) Math.ceil(q * n) - 1;
    return scratch[Math.max(0, Math.min(n - 1, i))];
  }
}
