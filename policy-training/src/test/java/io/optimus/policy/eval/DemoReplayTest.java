package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.control.Policy;
import io.optimus.bridge.control.PolicyObservation;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open-loop replay, the check that the path from a recorded demonstration to an executed policy action
 * is sound: a scripted pick-place demonstration is recorded in the physics world, loaded as the trainer
 * loads it (50 Hz samples from the first commanded motion, the commanded positions as actions), and its
 * actions are executed as a {@link Policy} through the evaluation's path ({@link SteppedPolicySource},
 * {@link SimulatedEpisodes}, unattended as {@code policy eval} runs) in the same world seed. A replay
 * that misses the cube means the training targets are not what was executed (a wrong stride, an
 * off-by-one between observation and action, joints mapped in another order).
 *
 * <p>Not bit-exact, by design of the execution path (benchmarks/policy-training.md, session 34): the
 * supervisor's limiter treats each target as a place to stop, so the recorded commands fed back tick by
 * tick trail the recording by a quarter of a step from the first motion, and the stepped source reaches
 * each 50 Hz action at the end of its period; contacts with the table and the self-collision guard grow
 * that into centimetres before the grasp. The reach is reproduced to millimetres on average, and the cube grasped.
 */
class DemoReplayTest {
  private static final RobotRig RIG = PolicyEvaluator.rig("optimus");
  /** Base seed whose first scripted episode succeeds with one clean grasp in 11.5 s (session 34). */
  private static final long DEMO_SEED = 87110;

  @TempDir Path dir;

  @Test
  void aReplayedDemonstrationPicksAndPlacesAsRecorded() throws Exception {
    new ScriptedDemos("optimus", 20, 0.3, false).world(SimulatedWorlds.PHYSICS)
        .record(dir, "pick-place", 1, DEMO_SEED, null);
    Path demoFile = dir.resolve(Dataset.open(dir).episodes().get(0).file());
    Recording demo = Recording.read(demoFile);
    assertTrue(demo.success, "the scripted demonstration itself succeeds");

    DemoSet set = RecordedDemos.load(dir, null, null, 50, null);
    assertEquals(50, set.rateHz(), 1e-9);
    EpisodeData ep = set.episodes().get(0);
    int stride = 5; // 250 Hz recording, 50 Hz policy
    int firstTick = stride * ((demo.q.size() + stride - 1) / stride - ep.length()); // the recording tick of sample 0
    assertTrue(firstTick > 0, "the demonstration starts after the operator engages");

    BridgeConfig config = BridgeConfig.defaults("eval").withTask("pick-place", 1).withUnattended(true)
        .withWorld(SimulatedWorlds.PHYSICS);
    SimulatedEpisodes sim = new SimulatedEpisodes(RIG, config);
    List<String> robotJoints = sim.description().getJointsList().stream().map(JointInfo::getName).toList();
    Replay replay = new Replay(ep.commanded(), set.joints().names().stream().mapToInt(robotJoints::indexOf).toArray(),
        set.rateHz());
    Path replayFile = dir.resolve("replay.mcap");
    double demoSeconds = (demo.q.size() - firstTick) / config.controlRateHz();
    SimulatedEpisodes.Outcome out = sim.runRecorded(new SteppedPolicySource(replay, RIG.dof(), config.controlRateHz()),
        demo.seed, demoSeconds + 3, replayFile, EpisodeHeader.newBuilder().setEpisodeId("replay").setTask("pick-place"),
        SimulatedEpisodes.RunOptions.UNATTENDED, "open-loop replay of " + demoFile.getFileName());
    Recording rep = Recording.read(replayFile);

    // the reach, to the demonstration's first hand closing: palms where the recording had them
    KinematicsData kin = RIG.kinematics().newData();
    RIG.placeBase(kin);
    double sum = 0;
    double max = 0;
    int n = 0;
    for (int t = 0; t + firstTick < demo.firstClosingTick && t < rep.q.size(); t++) {
      double d = palmDistance(demo.q.get(t + firstTick), rep.q.get(t), kin);
      sum += d;
      max = Math.max(max, d);
      n++;
    }
    assertTrue(n > 5 * config.controlRateHz(), "the reach lasts seconds, compared tick by tick: " + n);
    double mean = sum / n;
    String figures = String.format(java.util.Locale.ROOT, "palm deviation over the reach: mean %.4f m, max %.4f m;"
        + " replay closest palm-cube %.3f m, grasped %s, lift %.3f m, success %s", mean, max,
        out.closestPalmToCubeM(), out.grasped(), out.maxLiftM(), out.success());
    // measured 2026-12-07: mean 6.9 mm, max 7.3 cm (the limiter's lag grown by contacts and the self-collision
    // guard), closest 1.9 cm, lifted 17.6 cm, success (43 demonstrations replayed: mean 5.4 mm median, 20 mm worst)
    assertTrue(mean < 0.010, figures);
    assertTrue(out.closestPalmToCubeM() < 0.03, figures);
    assertTrue(out.grasped() && out.maxLiftM() > 0.05, figures);
    assertTrue(out.success(), figures);
  }

  private static double palmDistance(double[] qa, double[] qb, KinematicsData kin) {
    double[] a = palms(qa, kin);
    double[] b = palms(qb, kin);
    return Math.max(Math.sqrt(sq(a[0] - b[0]) + sq(a[1] - b[1]) + sq(a[2] - b[2])),
        Math.sqrt(sq(a[3] - b[3]) + sq(a[4] - b[4]) + sq(a[5] - b[5])));
  }

  private static double[] palms(double[] q, KinematicsData kin) {
    System.arraycopy(q, 0, kin.q, 0, q.length);
    RIG.forwardOnStand(kin);
    int l = RIG.left().palmLink();
    int r = RIG.right().palmLink();
    double[] p = new double[6];
    System.arraycopy(kin.linkPosition, 3 * l, p, 0, 3);
    System.arraycopy(kin.linkPosition, 3 * r, p, 3, 3);
    return p;
  }

  private static double sq(double x) {
    return x * x;
  }

  /** The trainer's actions of one episode, one per policy step, in the robot's joint order. */
  private static final class Replay implements Policy {
    private final float[][] actions;
    private final int[] robotIndex;
    private final double rateHz;
    private int step;

    Replay(float[][] actions, int[] robotIndex, double rateHz) {
      this.actions = actions;
      this.robotIndex = robotIndex;
      this.rateHz = rateHz;
    }

    @Override
    public String name() {
      return "replay";
    }

    @Override
    public double rateHz() {
      return rateHz;
    }

    @Override
    public void reset() {
      step = 0;
    }

    @Override
    public void act(PolicyObservation observation, double[] targetOut) {
      System.arraycopy(observation.commanded(), 0, targetOut, 0, targetOut.length);
      float[] a = actions[Math.min(step++, actions.length - 1)];
      for (int i = 0; i < a.length; i++) {
        targetOut[robotIndex[i]] = a[i];
      }
    }
  }

  /** Measured joint positions at control rate, the world seed, success, and the tick of the first hand closing. */
  private record Recording(List<double[]> q, long seed, boolean success, int firstClosingTick) {
    static Recording read(Path file) throws Exception {
      try (EpisodeReader r = EpisodeReader.open(file)) {
        List<double[]> q = new ArrayList<>();
        int closing = Integer.MAX_VALUE;
        for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE,
            List.of(EpisodeTopics.STATE, EpisodeTopics.TASK)); it.hasNext(); ) {
          EpisodeFrame f = it.next();
          if (f.topic().equals(EpisodeTopics.TASK)) {
            TaskState t = f.as(TaskState.class);
            if (closing == Integer.MAX_VALUE && (t.getGraspAttempts() > 0 || t.getObjects(0).getGrasped())) {
              closing = q.size();
            }
          } else {
            q.add(f.as(JointState.class).getPositionList().stream().mapToDouble(Double::doubleValue).toArray());
          }
        }
        return new Recording(q, r.header().getSeed(), r.outcome().map(o -> o.getTaskSuccess()).orElse(false), closing);
      }
    }
  }
}
