package io.optimus.bridge.engine;

import io.optimus.bridge.safety.JointLimitTable;
import io.optimus.motion.model.RobotModel;
import io.optimus.proto.v1.GroupDisagreement;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.ShadowPrediction;
import io.optimus.proto.v1.ShadowSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A shadow policy beside the driving source: it takes the shadow's predictions (any thread, as they
 * arrive on {@code R/shadow}) and, every control tick, compares the newest one with what was actually
 * commanded that tick, per joint group of the robot model. It never commands anything: nothing here
 * reaches the action source, the supervisor or the body. The prediction goes through the same joint
 * limits the supervisor applies (clamped), so what is compared is what the shadow could have commanded.
 */
public final class ShadowMonitor {
  /** A prediction older than this at a tick is stale: no sample (the shadow stalled or stopped). */
  public static final long MAX_AGE_NS = 500_000_000L;
  /** The episode channel of the {@link ShadowSample}s. */
  public static final String TOPIC = "/shadow";

  private record Received(ShadowPrediction p, long receivedNs) {}

  private final String robotId;
  private final JointLimitTable limits;
  private final String[] groupNames;
  private final int[][] groups;
  private final AtomicReference<Received> latest = new AtomicReference<>();
  private volatile String name;
  private volatile long samples;

  public ShadowMonitor(String robotId, RobotModel model, JointLimitTable limits) {
    this.robotId = robotId;
    this.limits = limits;
    Map<String, List<Integer>> g = new LinkedHashMap<>();
    model.dofJoints().forEach(j -> g.computeIfAbsent(j.group().isEmpty() ? "other" : j.group(),
        k -> new ArrayList<>()).add(j.qIndex()));
    groupNames = g.keySet().toArray(String[]::new);
    groups = g.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  /** Starts recording shadow {@code source} ("policy:NAME"); earlier predictions are forgotten. */
  public void arm(String source) {
    latest.set(null);
    name = source;
  }

  public void disarm() {
    name = null;
    latest.set(null);
  }

  /** The shadow being recorded, or null. */
  public String name() {
    return name;
  }

  public long samples() {
    return samples;
  }

  /** A prediction from {@code R/shadow}: null when taken, else what is wrong with it (dropped). */
  public String offer(ShadowPrediction p, long nowNs) {
    if (name == null) {
      return "shadow prediction dropped: no shadow is running (ask with set_action_source{shadow: true})";
    }
    if (!p.getRobotId().isEmpty() && !p.getRobotId().equals(robotId)) {
      return "shadow prediction for robot '" + p.getRobotId() + "' arrived at " + robotId;
    }
    if (p.getPositionCount() != limits.size()) {
      return "shadow prediction has " + p.getPositionCount() + " positions, robot has " + limits.size() + " joints";
    }
    for (int i = 0; i < p.getPositionCount(); i++) {
      if (!Double.isFinite(p.getPosition(i))) {
        return "shadow prediction: " + limits.name(i) + " is " + p.getPosition(i);
      }
    }
    if (!(p.getUncertainty() >= 0) || Double.isInfinite(p.getUncertainty())) {
      return "shadow prediction: uncertainty " + p.getUncertainty() + " is not a finite number >= 0";
    }
    latest.set(new Received(p, nowNs));
    return null;
  }

  /**
   * The sample of the tick reported by {@code s} (its commanded positions are what the driving source
   * got through safety), or null when no shadow runs or its newest prediction is stale.
   */
  public ShadowSample sample(JointState s, String episodeId) {
    String source = name;
    Received r = latest.get();
    long t = s.getStamp().getMonotonicNs();
    if (source == null || r == null || t - r.receivedNs > MAX_AGE_NS
        || s.getCommandedPositionCount() != r.p.getPositionCount()) {
      return null;
    }
    ShadowPrediction p = r.p;
    int n = p.getPositionCount();
    ShadowSample.Builder b = ShadowSample.newBuilder().setSchemaVersion(1).setRobotId(robotId)
        .setEpisodeId(episodeId == null ? "" : episodeId).setTick(s.getSequence()).setStamp(s.getStamp())
        .setSource(source).setPredictionSequence(p.getSequence())
        .setPredictionAgeS(Math.max(0, t - r.receivedNs) / 1e9).setUncertainty(p.getUncertainty());
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double predicted = limits.clamp(i, p.getPosition(i));
      double commanded = s.getCommandedPosition(i);
      b.addPredictedPosition(predicted).addCommandedPosition(commanded);
      sum += Math.abs(predicted - commanded);
    }
    for (int g = 0; g < groups.length; g++) {
      double gs = 0;
      double gm = 0;
      for (int i : groups[g]) {
        double d = Math.abs(b.getPredictedPosition(i) - b.getCommandedPosition(i));
        gs += d;
        gm = Math.max(gm, d);
      }
      b.addGroups(GroupDisagreement.newBuilder().setGroup(groupNames[g]).setMeanAbs(gs / groups[g].length).setMaxAbs(gm));
    }
    samples++;
    return b.setDisagreement(sum / n).build();
  }
}
