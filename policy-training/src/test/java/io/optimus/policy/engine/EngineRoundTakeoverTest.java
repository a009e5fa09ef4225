package io.optimus.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.control.ActionSource;
import io.optimus.bridge.control.ControlContext;
import io.optimus.bridge.control.ReceivedFrame;
import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeSourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.optimus.teleop.scripted.TakeoverRule;

/**
 * The expert's takeover rule on the bridge's simulated robot (kinematic world, stepped time, the real
 * control loop, supervisor and whole-body retargeting): a learner that does what the expert would is left
 * alone; one that strays is taken over, and the expert's corrective segment is recorded as an episode.
 */
class EngineRoundTakeoverTest {
  static final SupervisedRollouts.Options OPTIONS = new SupervisedRollouts.Options("optimus", "pick-place",
      SimulatedWorlds.KINEMATIC, 2, 11, 30, TakeoverRule.DEFAULT);

  static final double STATE_RATE_HZ = io.optimus.bridge.BridgeConfig.defaults("x").controlRateHz()
      / io.optimus.bridge.BridgeConfig.defaults("x").stateEvery();

  @Test
  void aLearnerThatFollowsTheExpertIsNeverTakenOver(@TempDir Path dir) throws Exception {
    // the learner is the same scripted operator with the same seed: it does exactly what the supervisor would
    var rig = PolicyEvaluator.rig("optimus");
    long[] expertSeeds = expertSeeds(OPTIONS);
    int[] episode = {0};
    SupervisedRollouts.Result r = SupervisedRollouts.run(
        () -> new ExpertDriven(new ScriptedExpert(rig, "pick-place", expertSeeds[episode[0]++], true)), "twin",
        OPTIONS, dir, "twin", null);
    System.out.println("twin: " + r.perEpisode());
    assertEquals(0, r.interventions(), "taken over: " + r.perEpisode());
    assertEquals(2, r.learnerSuccesses(), "the twin did the task: " + r.perEpisode());
    assertEquals(0, r.interventionFrames());
    assertEquals(List.of(), Dataset.open(dir).episodes(), "no corrective segment without a takeover");
  }

  @Test
  void aLearnerThatStraysIsTakenOverAndTheCorrectionIsRecorded(@TempDir Path dir) throws Exception {
    // the learner holds the start pose: once the expert reaches for the cube, its palm is far from the robot's
    SupervisedRollouts.Result r = SupervisedRollouts.run(HoldStill::new, "hold-still", OPTIONS, dir, "fix", null);
    System.out.println("hold still: " + r.perEpisode());
    assertEquals(2, r.interventions(), r.perEpisode().toString());
    for (SupervisedRollouts.Episode e : r.perEpisode()) {
      assertTrue(e.reason().startsWith("strayed"), e.reason());
      assertTrue(e.takeoverAtS() > 1 && e.takeoverAtS() < 5, "taken over once the expert reached out: " + e);
      assertTrue(e.success(), "the expert finished the task after taking over: " + e);
    }
    assertEquals(2, r.usableCorrections());
    List<EpisodeEntry> eps = Dataset.open(dir).episodes();
    assertEquals(2, eps.size());
    long frames = 0;
    for (EpisodeEntry e : eps) {
      assertNull(e.error());
      assertEquals("SUCCESS", e.outcome());
      frames += e.stateFrames();
      // from the takeover to the end, every control tick's state
      SupervisedRollouts.Episode ep = r.perEpisode().get(eps.indexOf(e));
      assertEquals((ep.durationS() - ep.takeoverAtS()) * STATE_RATE_HZ, e.stateFrames(), 3, ep.toString());
      try (EpisodeReader reader = EpisodeReader.open(dir.resolve(e.file()))) {
        EpisodeHeader h = reader.header();
        assertEquals("true", h.getTagsOrThrow(SupervisedRollouts.TAG_INTERVENTION));
        assertEquals(EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED, h.getSourceKind());
        assertEquals("hold-still", h.getTagsOrThrow(SupervisedRollouts.TAG_POLICY));
      }
    }
    assertEquals(r.interventionFrames(), frames);
    assertTrue(frames > 250, "seconds of corrective frames: " + frames);
    SupervisedRollouts.Result again = SupervisedRollouts.run(HoldStill::new, "hold-still", OPTIONS, dir.resolve("again"),
        "fix", null);
    assertEquals(r.perEpisode(), again.perEpisode(), "the same seeds, the same episodes and takeovers");
  }

  @Test
  void theRuleNeedsTheStrayToLastAndIgnoresTheExpertsGettingReady() {
    TakeoverRule.Watch w = new TakeoverRule(0.1, 0.5, 8).watch();
    for (int i = 0; i < 100; i++) {
      assertNull(w.judge(0.01, 0.5, "SETTLE", false, false, 0), "nothing judged while the expert settles");
    }
    for (int i = 0; i < 49; i++) {
      assertNull(w.judge(0.01, 0.2, "REACH", false, false, 0));
    }
    assertNull(w.judge(0.01, 0.05, "REACH", false, false, 0), "back within the margin: the dwell starts again");
    for (int i = 0; i < 49; i++) {
      assertNull(w.judge(0.01, 0.2, "REACH", false, false, 0));
    }
    String why = w.judge(0.01, 0.2, "REACH", false, false, 0);
    assertTrue(why != null && why.startsWith("strayed"), why);
    assertTrue(new TakeoverRule(0.1, 0.5, 8).watch().judge(0.01, 0, "JUDGE", true, false, 0).startsWith("no progress"));
    assertNull(new TakeoverRule(0.1, 0.5, 8).watch().judge(0.01, 0.3, "JUDGE", true, true, 0), "the task is done");
  }

  @Test
  void aTaskThatGetsNoFurtherIsTakenOverThoughThePolicyStaysNearTheExpert() {
    TakeoverRule.Watch w = new TakeoverRule(0.1, 0.5, 2).watch();
    for (int i = 0; i < 500; i++) {
      assertNull(w.judge(0.01, 0.02, "SETTLE", false, false, 0), "the stall clock starts when the expert is ready");
    }
    for (int i = 0; i < 150; i++) {
      assertNull(w.judge(0.01, 0.02, "REACH", false, false, 0));
    }
    assertNull(w.judge(0.01, 0.02, "CLOSE", false, false, 1), "held: the task got further");
    for (int i = 0; i < 150; i++) {
      assertNull(w.judge(0.01, 0.02, "LIFT", false, false, 1));
    }
    // dropped: less than the best so far is no progress; 2 s after it was held, the expert takes over
    String why = null;
    int ticks = 0;
    while (why == null && ticks < 1000) {
      why = w.judge(0.01, 0.02, "CARRY", false, false, 0);
      ticks++;
    }
    assertTrue(why != null && why.startsWith("stalled"), why);
    assertEquals(50, ticks, 1, "2 s after the hold: " + why);
  }

  /** The expert seeds {@link SupervisedRollouts} draws per episode (world seed, then expert seed). */
  static long[] expertSeeds(SupervisedRollouts.Options o) {
    var r = new java.util.SplittableRandom(o.seed());
    long[] s = new long[o.episodes()];
    for (int e = 0; e < s.length; e++) {
      r.nextLong();
      s[e] = r.nextLong();
    }
    return s;
  }

  /** A learner that holds the pose it starts in. */
  static final class HoldStill implements ActionSource {
    private double[] hold;

    @Override
    public String name() {
      return "hold-still";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_POLICY;
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      if (hold == null) {
        hold = ctx.commanded.clone();
      }
      System.arraycopy(hold, 0, target, 0, target.length);
      return true;
    }
  }

  /** A learner that is a scripted operator itself, driving through the teleop source. */
  static final class ExpertDriven implements ActionSource {
    private final ScriptedExpert expert;
    private long next = Long.MIN_VALUE;

    ExpertDriven(ScriptedExpert expert) {
      this.expert = expert;
    }

    @Override
    public String name() {
      return "twin";
    }

    @Override
    public EpisodeSourceKind kind() {
      return EpisodeSourceKind.EPISODE_SOURCE_KIND_POLICY;
    }

    @Override
    public void activate(ControlContext ctx) {
      expert.teleop().activate(ctx);
    }

    @Override
    public boolean target(ControlContext ctx, double[] target) {
      ReceivedFrame saved = ctx.operator;
      boolean isNew = ctx.operatorIsNew;
      if (ctx.nowNs >= next) {
        ctx.operator = new ReceivedFrame(expert.frame(ctx.nowNs, ctx.task, ctx.measured.position), ctx.nowNs);
        ctx.operatorIsNew = true;
        next = (next == Long.MIN_VALUE ? ctx.nowNs : next) + (long) (1e9 / ScriptedExpert.RATE_HZ);
        last = ctx.operator;
      } else {
        ctx.operator = last;
        ctx.operatorIsNew = false;
      }
      try {
        return ctx.operator != null && expert.teleop().target(ctx, target);
      } finally {
        ctx.operator = saved;
        ctx.operatorIsNew = isNew;
      }
    }

    private ReceivedFrame last;
  }
}
