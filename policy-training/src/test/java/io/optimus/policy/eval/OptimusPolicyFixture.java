package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.optimus.bridge.BridgeConfig;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeWriter;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.policy.encode.PixelGridEncoder;
import io.optimus.policy.train.PolicyTrainer;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TestConfigs;
import io.optimus.proto.v1.EpisodeHeader;
import io.optimus.proto.v1.EpisodeOutcome;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared by the closed-loop tests (made once per test JVM): demonstrations recorded from the
 * bridge's simulated optimus robot in stepped time, and a tiny ACT policy trained on them.
 */
public final class OptimusPolicyFixture {
  public static final int DEMOS = 4;
  private static OptimusPolicyFixture instance;

  public final Path dir;
  public final Path demos;
  public final Path run;
  public final RobotRig rig;

  private OptimusPolicyFixture() throws Exception {
    dir = Files.createTempDirectory("optimus-policy-fixture");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> io.optimus.common.FileTrees.deleteQuietly(dir)));
    rig = PolicyEvaluator.rig("optimus");
    SimulatedEpisodes sim = new SimulatedEpisodes(rig, BridgeConfig.defaults("demo-bot").withTask("pick-place", 1));
    demos = dir.resolve("demos");
    Files.createDirectories(demos);
    for (int e = 0; e < DEMOS; e++) {
      EpisodeHeader header = EpisodeHeader.newBuilder().setEpisodeId("demo-" + e).setRobotId("demo-bot")
          .setRobot(sim.description()).setTask("pick-place").setSeed(100 + e).setSource("test:scripted-arm").build();
      EpisodeWriter w = EpisodeWriter.start(demos.resolve(String.format("demo-%03d.mcap", e)), header,
          EpisodeWriter.Options.defaults().withQueueCapacity(1 << 15), null);
      sim.run(new ScriptedArmSource(sim.description()), 100 + e, 2.4, SimulatedEpisodes.RunOptions.UNATTENDED.recordingTo(w));
      EpisodeSummary s = w.finish(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, "");
      assertEquals(0, s.dropped(), "no message dropped while recording " + s.file());
    }
    DemoSet set = RecordedDemos.load(demos, new PixelGridEncoder(6), null, 50, null);
    run = dir.resolve("run");
    new PolicyTrainer(null).train(set, new RunConfig(TestConfigs.policy("act").chunk(10).build(),
        TestConfigs.train(60).validationFraction(0.25).build()), run, false);
  }

  private Path wristRun;

  /** A tiny ACT policy on the same demonstrations that sees the head and both wrist cameras (trained on first use). */
  public synchronized Path wristRun() throws Exception {
    if (wristRun == null) {
      var cameras = io.optimus.policy.PolicyConfig.ALL_CAMERAS;
      DemoSet set = RecordedDemos.load(demos, new PixelGridEncoder(6), null, 50, false, cameras, null);
      Path r = dir.resolve("wrist-run");
      new PolicyTrainer(null).train(set, new RunConfig(TestConfigs.policy("act").chunk(10).cameras(cameras).build(),
          TestConfigs.train(30).validationFraction(0.25).build()), r, false);
      wristRun = r;
    }
    return wristRun;
  }

  public static synchronized OptimusPolicyFixture get() throws Exception {
    if (instance == null) {
      instance = new OptimusPolicyFixture();
    }
    return instance;
  }
}
