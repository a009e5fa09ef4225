package io.optimus.bridge.engine;

import io.optimus.proto.v1.GroupDisagreement;
import io.optimus.proto.v1.ShadowSample;
import io.optimus.proto.v1.ShadowSummary;

/**
 * Condenses a shadow's per-tick {@link ShadowSample}s into a {@link ShadowSummary} per window of at
 * least {@link #PERIOD_NS} (so at most 10 a second), for people watching live: overall and per joint
 * group, without the joint vectors. {@link #add} allocates nothing; single writer (the loop's reporter thread).
 */
public final class ShadowSummarizer {
  public static final long PERIOD_NS = 100_000_000L;

  private final String robotId;
  private String[] groups = new String[0];
  private double[] groupMean = new double[0];
  private double[] groupMax = new double[0];
  private int samples;
  private double sum;
  private double max;
  private double uncertainty;
  private long windowStartNs = Long.MIN_VALUE;
  private ShadowSample newest;

  public ShadowSummarizer(String robotId) {
    this.robotId = robotId;
  }

  /** Adds one tick's sample; returns the window's summary when the window is over (then starts the next), else null. */
  public ShadowSummary add(ShadowSample s) {
    long t = s.getStamp().getMonotonicNs();
    if (samples == 0) {
      windowStartNs = t;
    }
    if (groups.length != s.getGroupsCount()) { // the first sample (the model's groups do not change)
      groups = new String[s.getGroupsCount()];
      groupMean = new double[groups.length];
      groupMax = new double[groups.length];
      for (int g = 0; g < groups.length; g++) {
        groups[g] = s.getGroups(g).getGroup();
      }
    }
    for (int g = 0; g < groups.length; g++) {
      GroupDisagreement d = s.getGroups(g);
      groupMean[g] += d.getMeanAbs();
      groupMax[g] = Math.max(groupMax[g], d.getMaxAbs());
    }
    samples++;
    sum += s.getDisagreement();
    max = Math.max(max, s.getDisagreement());
    uncertainty += s.getUncertainty();
    newest = s;
    return t - windowStartNs >= PERIOD_NS ? flush() : null;
  }

  /** The source stopped (a gap, disarmed): the partial window is dropped so the next starts fresh. */
  public void reset() {
    samples = 0;
    sum = 0;
    max = 0;
    uncertainty = 0;
    java.util.Arrays.fill(groupMean, 0);
    java.util.Arrays.fill(groupMax, 0);
  }

  private ShadowSummary flush() {
    ShadowSummary.Builder b = ShadowSummary.newBuilder().setSchemaVersion(1).setRobotId(robotId)
        .setStamp(newest.getStamp()).setSource(newest.getSource()).setTick(newest.getTick()).setSamples(samples)
        .setDisagreement(sum / samples).setDisagreementMax(max).setUncertainty(uncertainty / samples)
        .setPredictionAgeS(newest.getPredictionAgeS());
    for (int g = 0; g < groups.length; g++) {
      b.addGroups(GroupDisagreement.newBuilder().setGroup(groups[g]).setMeanAbs(groupMean[g] / samples)
          .setMaxAbs(groupMax[g]));
    }
    reset();
    return b.build();
  }
}
