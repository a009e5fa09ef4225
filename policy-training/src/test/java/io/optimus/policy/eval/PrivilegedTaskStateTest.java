package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.control.PolicyObservation;
import io.optimus.common.InputException;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.policy.encode.TaskStateEncoder;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TestConfigs;
import io.optimus.policy.train.TrainingRun;
import io.optimus.proto.v1.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privileged diagnostic observation (encoder privileged:task-state): the policy sees the simulator's
 * true cube and target poses, from recordings through training to the runtime, and where no task state comes
 * (a real robot) it refuses in one line.
 */
class PrivilegedTaskStateTest {
  @TempDir Path tmp;

  /** The first task state a recording holds. */
  private static TaskState firstTask(Path file) throws Exception {
    try (EpisodeReader r = EpisodeReader.open(file)) {
      var it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.TASK));
      return it.next().as(TaskState.class);
    }
  }

  @Test
  void eachTickSeesTheRecordedCubeAndTargetAndEpisodesDiffer() throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    DemoSet set = RecordedDemos.load(f.demos, new TaskStateEncoder(), null, 50, null);
    assertEquals(TaskStateEncoder.ID, set.encoderId());
    assertEquals(TaskStateEncoder.CHANNELS, set.featureShape().size(), "one 1x1 map of the task's channels");
    Set<Float> cubeX = new HashSet<>();
    for (int e = 0; e < set.episodes().size(); e++) {
      EpisodeData ep = set.episodes().get(e);
      TaskState t = firstTask(f.demos.resolve(String.format("demo-%03d.mcap", e)));
      var cube = t.getObjects(0).getPose().getPosition();
      float[] first = ep.features()[0];
      // the scripted arm has not touched the cube at its first motion: it is where the world put it
      assertEquals(cube.getX(), first[0], 1e-4, ep.id() + " cube x");
      assertEquals(cube.getY(), first[1], 1e-4, ep.id() + " cube y");
      assertEquals(cube.getZ(), first[2], 1e-4, ep.id() + " cube z");
      assertEquals(t.getTargetArea().getPosition().getX(), first[5], 1e-4, ep.id() + " target x");
      assertEquals(t.getTargetArea().getPosition().getY(), first[6], 1e-4, ep.id() + " target y");
      // then the cube seen from each palm: forward kinematics of the tick's measured joints, on the stand
      int[] idx = new TaskStateEncoder().rigIndex(set.joints().names());
      double[] rq = f.rig.home();
      for (int i = 0; i < idx.length; i++) {
        if (idx[i] >= 0) {
          rq[idx[i]] = ep.q()[0][i];
        }
      }
      KinematicsData d = f.rig.kinematics().newData();
      d.setQ(rq);
      f.rig.forwardOnStand(d);
      int left = f.rig.left().palmLink();
      int right = f.rig.right().palmLink();
      for (int k = 0; k < 3; k++) {
        assertEquals(first[k] - d.linkPosition[3 * left + k], first[8 + k], 1e-4, ep.id() + " cube from the left palm");
        assertEquals(first[k] - d.linkPosition[3 * right + k], first[11 + k], 1e-4, ep.id() + " cube from the right palm");
      }
      float[] later = ep.features()[ep.length() - 1];
      double moved = 0;
      for (int k = 8; k < TaskStateEncoder.CHANNELS; k++) {
        moved += Math.abs(later[k] - first[k]);
      }
      assertTrue(moved > 0.01, ep.id() + ": the scripted arm moves a palm, so the palm-to-cube channels change: " + moved);
      cubeX.add(first[0]);
    }
    assertEquals(set.episodes().size(), cubeX.size(), "each world seed puts the cube elsewhere: " + cubeX);
  }

  @Test
  void aTrainedPolicyActsOnTheCubePoseAndRefusesAnObservationWithoutTaskState() throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    Path run = tmp.resolve("run");
    new TrainingRun(f.demos.toString(), new RunConfig(TestConfigs.policy("act").chunk(10)
        .encoder(TaskStateEncoder.ID, 16).build(), TestConfigs.train(40).build()), run).run();
    PolicyMeta meta = PolicyMeta.load(new RunFiles(run).meta());
    assertEquals(TaskStateEncoder.ID, meta.encoderId());

    List<String> joints = meta.joints().names();
    TaskState task = firstTask(f.demos.resolve("demo-000.mcap"));
    var p0 = task.getObjects(0).getPose().getPosition();
    TaskState moved = task.toBuilder().setObjects(0, task.getObjects(0).toBuilder().setPose(task.getObjects(0)
        .getPose().toBuilder().setPosition(p0.toBuilder().setX(p0.getX() + 0.08).setY(p0.getY() - 0.08)))).build();
    double[] q = new double[joints.size()];
    try (LearnedPolicy p = LearnedPolicy.load(run, joints, f.rig.cameraWidth(), false)) {
      double[] a = act(p, q, task);
      double[] again = act(p, q, task);
      assertTrue(Arrays.equals(a, again), "same state, same task: same targets");
      double[] b = act(p, q, moved);
      assertNotEquals(Arrays.toString(a), Arrays.toString(b), "moving the cube alone moves the prediction");

      p.reset();
      assertTrue(Arrays.equals(q, act(p, q, null, 0)), "before the simulator's first task state it holds");
      assertTrue(Arrays.equals(q, act(p, q, null, 900_000_000L)), "for up to a second");
      InputException e = assertThrows(InputException.class, () -> act(p, q, null, 1_100_000_000L));
      assertTrue(e.getMessage().contains("simulation only"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
  }

  @Test
  void theConfigRefusesSettingsThatWouldDropTheTaskState() {
    RuntimeException k = assertThrows(RuntimeException.class, () -> TestConfigs.policy("act")
        .model(new ActConfig(32, 2, 1, 64, new Keypoints(4, 10, Keypoints.SCALE))).encoder(TaskStateEncoder.ID, 16).build());
    assertTrue(k.getMessage().contains("keypoints = 4 must be 0"), k.getMessage());
    RuntimeException m = assertThrows(RuntimeException.class, () -> TestConfigs.policy("mlp")
        .encoder(TaskStateEncoder.ID, 16).build());
    assertTrue(m.getMessage().contains("mlpUseImage = false must be true"), m.getMessage());
    RuntimeException c = assertThrows(RuntimeException.class, () -> TestConfigs.policy("act")
        .encoder(TaskStateEncoder.ID, 16).cameras(PolicyConfig.ALL_CAMERAS).build());
    assertTrue(c.getMessage().contains("cameras = [head, left_wrist, right_wrist] must be left"), c.getMessage());
    assertEquals(TaskStateEncoder.ID, TestConfigs.policy("act").encoder(TaskStateEncoder.ID, 16).build().encoder().spec());
  }

  @Test
  void thePhaseChannelCountsSecondsFromTheFirstMotionCappedAtItsHorizon() throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    String spec = TaskStateEncoder.PHASE_PREFIX + "2";
    DemoSet plain = RecordedDemos.load(f.demos, new TaskStateEncoder(), null, 50, null);
    DemoSet phased = RecordedDemos.load(f.demos, TaskStateEncoder.of(spec), null, 50, null);
    assertEquals(spec, phased.encoderId(), "the id a config names is the id the run keeps");
    assertEquals(TaskStateEncoder.CHANNELS + 1, phased.featureShape().size(), "one channel more");
    double perTick = 1 / (2 * phased.rateHz());
    for (int e = 0; e < phased.episodes().size(); e++) {
      float[][] a = plain.episodes().get(e).features();
      float[][] b = phased.episodes().get(e).features();
      assertEquals(a.length, b.length);
      for (int t = 0; t < b.length; t++) {
        assertTrue(Arrays.equals(a[t], Arrays.copyOf(b[t], TaskStateEncoder.CHANNELS)), "the task channels unchanged");
        assertEquals(Math.min(1, t * perTick), b[t][TaskStateEncoder.CHANNELS], 1e-6, "tick " + t + " of " + b.length);
      }
      assertTrue(b.length * perTick > 1, "the fixture's episodes outlast a 2 s horizon: the cap is exercised");
    }
    RuntimeException bad = assertThrows(RuntimeException.class, () -> TestConfigs.policy("act")
        .encoder(TaskStateEncoder.PHASE_PREFIX + "0", 16).build());
    assertTrue(bad.getMessage().contains("(0, 600]"), bad.getMessage());
    assertThrows(InputException.class, () -> TaskStateEncoder.of(TaskStateEncoder.PHASE_PREFIX + "soon"));
  }

  @Test
  void aPhasePolicySeesTheTimeSinceItsFirstStepAndTheClockRestartsEachEpisode() throws Exception {
    OptimusPolicyFixture f = OptimusPolicyFixture.get();
    Path run = tmp.resolve("phase");
    String spec = TaskStateEncoder.PHASE_PREFIX + "2";
    new TrainingRun(f.demos.toString(), new RunConfig(TestConfigs.policy("act").chunk(10).encoder(spec, 16).build(),
        TestConfigs.train(40).build()), run).run();
    assertEquals(spec, PolicyMeta.load(new RunFiles(run).meta()).encoderId());
    List<String> joints = PolicyMeta.load(new RunFiles(run).meta()).joints().names();
    TaskState task = firstTask(f.demos.resolve("demo-000.mcap"));
    double[] q = new double[joints.size()];
    try (LearnedPolicy p = LearnedPolicy.load(run, joints, f.rig.cameraWidth(), false)) {
      double[] start = act(p, q, task, 3_000_000_000L);
      double[] later = act(p, q, task, 4_000_000_000L);
      assertNotEquals(Arrays.toString(start), Arrays.toString(later),
          "the same state a second on: the phase alone moves the prediction");
      p.reset();
      assertTrue(Arrays.equals(start, act(p, q, task, 7_000_000_000L)), "a new episode's first step is phase 0 again");
    }
  }

  private static double[] act(LearnedPolicy p, double[] q, TaskState task) {
    return act(p, q, task, 0);
  }

  private static double[] act(LearnedPolicy p, double[] q, TaskState task, long stampNs) {
    double[] out = new double[q.length];
    p.act(new PolicyObservation(stampNs, q.clone(), new double[q.length], q.clone(), null, task), out);
    return out;
  }
}
