package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.control.PolicyObservation;
import io.optimus.common.InputException;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.data.EpisodeFiles;
import io.optimus.policy.data.SyntheticReaching;
import io.optimus.policy.eval.SteppedPolicySource;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.proto.v1.CameraFrame;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.Timestamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy that sees the head and both wrist cameras, from recordings through a real DJL training to
 * the runtime that feeds it frames: every camera's features reach the network.
 */
class MultiCameraTrainingTest {
  static final int TICKS = 30;
  static final int IMAGE = 32;
  static final SyntheticReaching WORLD = new SyntheticReaching(TICKS, IMAGE);
  static final List<String> CAMERAS = PolicyConfig.ALL_CAMERAS;

  @TempDir Path tmp;

  private Path record(List<String> cameras, int episodes) throws Exception {
    Path data = tmp.resolve("data-" + cameras.size());
    Files.createDirectories(data);
    Random r = new Random(5);
    for (int e = 0; e < episodes; e++) {
      EpisodeFiles.write(data.resolve(String.format("ep-%03d.mcap", e)), WORLD, WORLD.instance(r), TICKS, IMAGE, 3,
          SyntheticReaching.JOINTS, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, -1, -1, cameras);
    }
    return data;
  }

  private static RunConfig config(List<String> cameras) {
    // keypoints: one token per camera, from a softmax over that camera's cells only
    ActConfig act = new ActConfig(32, 2, 1, 64, new Keypoints(4, 10, Keypoints.SCALE));
    return new RunConfig(TestConfigs.policy("act").model(act).encoder("pixels:6", 16).cameras(cameras).build(),
        TestConfigs.train(30).build());
  }

  @Test
  void threeCamerasTrainAndAWristImageAloneChangesThePrediction() throws Exception {
    Path data = record(CAMERAS, 4);
    Path run = tmp.resolve("run");
    TrainingReport report = new TrainingRun(data.toString(), config(CAMERAS), run).run();
    assertEquals(30, report.steps());
    assertTrue(Double.isFinite(report.finalTrainLoss()), "loss " + report.finalTrainLoss());

    PolicyMeta meta = PolicyMeta.load(new RunFiles(run).meta());
    assertEquals(CAMERAS, meta.cameras());
    assertEquals(3, meta.featureShape().views());
    assertEquals(3 * 6 * 6 * 3, meta.featureShape().size(), "one 6x6 colour grid per camera");
    assertEquals(CAMERAS, PolicyConfig.loadRun(new RunFiles(run).config()).cameras());

    List<String> joints = SyntheticReaching.layout().names();
    byte[] scene = WORLD.render(WORLD.instance(new Random(9)));
    byte[] other = WORLD.render(WORLD.instance(new Random(10)));
    try (LearnedPolicy p = LearnedPolicy.load(run, joints, IMAGE, false)) {
      assertEquals(CAMERAS, p.cameras());
      SteppedPolicySource stepped = new SteppedPolicySource(p, joints.size(), 50);
      double[] commanded = new double[joints.size()];
      Arrays.fill(commanded, 0.25);
      double[] held = act(p, frame("head", 1, scene), commanded);
      assertArrayEquals(commanded, held, 0, "without wrist frames yet the policy holds the current command");

      stepped.camera(frame("left_wrist", 1, EpisodeFiles.turned(scene, 1))); // as SimulatedEpisodes hands them over
      stepped.camera(frame("right_wrist", 1, EpisodeFiles.turned(scene, 2)));
      double[] a = act(p, frame("head", 1, scene), commanded);
      assertFalse(Arrays.equals(commanded, a), "with every camera's frame the policy acts");
      double[] again = act(p, frame("head", 1, scene), commanded);
      assertArrayEquals(a, again, 0, "same frames, same state: same targets (no ensembling)");

      p.offer(frame("left_wrist", 2, EpisodeFiles.turned(other, 1))); // only the left wrist's image changes
      double[] b = act(p, frame("head", 1, scene), commanded);
      assertFalse(Arrays.equals(a, b), "a new left-wrist image alone moves the prediction: "
          + Arrays.toString(a) + " vs " + Arrays.toString(b));

      p.offer(frame("left_wrist", 3, EpisodeFiles.turned(scene, 1)));
      double[] back = act(p, frame("head", 1, scene), commanded);
      assertArrayEquals(a, back, 1e-6, "the first left-wrist image again gives the first targets again");

      p.offer(frame("right_wrist", 2, EpisodeFiles.turned(other, 2)));
      double[] c = act(p, frame("head", 1, scene), commanded);
      assertFalse(Arrays.equals(a, c), "a new right-wrist image alone moves the prediction");
    }
  }

  @Test
  void aDatasetWithoutAListedCameraIsAOneLineErrorBeforeTraining() throws Exception {
    Path data = record(List.of("head"), 2);
    Path run = tmp.resolve("never");
    InputException e = assertThrows(InputException.class,
        () -> new TrainingRun(data.toString(), config(CAMERAS), run).run());
    assertTrue(e.getMessage().contains("has no left_wrist camera"), e.getMessage());
    assertTrue(e.getMessage().contains("ep-000.mcap"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(Files.exists(run), "nothing written");
  }

  @Test
  void theConfigRefusesARepeatedOrEmptyCameraList() throws Exception {
    Path f = tmp.resolve("c.json");
    Files.writeString(f, "{\"kind\": \"act\", \"cameras\": [\"head\", \"head\"]}");
    InputException twice = assertThrows(InputException.class, () -> RunConfig.load(f));
    assertTrue(twice.getMessage().contains("cameras") && twice.getMessage().contains("repeat"), twice.getMessage());
    Files.writeString(f, "{\"kind\": \"act\", \"cameras\": []}");
    InputException none = assertThrows(InputException.class, () -> RunConfig.load(f));
    assertTrue(none.getMessage().contains("cameras"), none.getMessage());
  }

  private static double[] act(LearnedPolicy p, CameraFrame head, double[] commanded) {
    double[] out = new double[commanded.length];
    p.act(new PolicyObservation(0, commanded.clone(), new double[commanded.length], commanded.clone(), head, null), out);
    return out;
  }

  private static CameraFrame frame(String camera, long seq, byte[] rgb) {
    long ns = 1_000_000_000L + seq * 100_000_000L;
    return EpisodeFiles.frame(camera, seq, Timestamp.newBuilder().setMonotonicNs(ns).setWallNs(ns).build(), IMAGE, rgb);
  }
}
