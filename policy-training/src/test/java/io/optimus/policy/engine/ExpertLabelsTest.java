package io.optimus.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.sim.SimulatedWorlds;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.proto.v1.Annotation;
import io.optimus.proto.v1.JointState;
import io.optimus.teleop.scripted.TakeoverRule;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DAgger's labels ({@link SupervisedRollouts.Labels#EXPERT}) on the bridge's simulated robot (kinematic
 * world, stepped time, the real control loop and retargeting): a learner that holds still is recorded
 * whole, its states carrying the expert's reach as their commanded positions, and the failed episode stays
 * trainable.
 */
class ExpertLabelsTest {
  @Test
  void aLearnersStatesCarryTheExpertsCommandAndStayTrainable(@TempDir Path dir) throws Exception {
    // a rule that never fires within the episode: the learner holds still to the end
    TakeoverRule never = new TakeoverRule(10, 100, 100);
    SupervisedRollouts.Options o = new SupervisedRollouts.Options("optimus", "pick-place", SimulatedWorlds.KINEMATIC,
        1, 11, 8, never, SupervisedRollouts.Labels.EXPERT);
    SupervisedRollouts.Result r = SupervisedRollouts.run(EngineRoundTakeoverTest.HoldStill::new, "hold-still", o,
        dir, "dagger", null);
    SupervisedRollouts.Episode ep = r.perEpisode().get(0);
    assertFalse(ep.tookOver(), ep.toString());
    assertFalse(ep.success(), ep.toString());
    assertEquals(1, r.usableCorrections(), "a failed drive labelled by the expert is kept");

    List<EpisodeEntry> eps = Dataset.open(dir).episodes();
    assertEquals(1, eps.size());
    EpisodeEntry e = eps.get(0);
    assertEquals("FAILURE", e.outcome());
    assertTrue(e.expertLabelled() && e.trainable(), e.tags().toString());
    // nearly every tick of the episode (the ones before the expert's first frame are left out)
    assertEquals(ep.durationS() * EngineRoundTakeoverTest.STATE_RATE_HZ, e.stateFrames(), 15, ep.toString());

    // the learner holds its start pose; every recorded command is the expert's instead: its own command chain
    // (as if it had driven), which reaches for the cube and closes the hand while the robot stays put
    double largestGap = 0;
    double labelDrift = 0;
    double[] firstLabel = null;
    try (EpisodeReader reader = EpisodeReader.open(dir.resolve(e.file()))) {
      for (Iterator<EpisodeFrame> it = reader.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
          it.hasNext(); ) {
        JointState s = it.next().as(JointState.class);
        assertEquals(s.getPositionCount(), s.getCommandedPositionCount());
        if (firstLabel == null) {
          firstLabel = s.getCommandedPositionList().stream().mapToDouble(Double::doubleValue).toArray();
        }
        double gap = 0;
        for (int i = 0; i < s.getPositionCount(); i++) {
          gap = Math.max(gap, Math.abs(s.getCommandedPosition(i) - s.getPosition(i)));
          labelDrift = Math.max(labelDrift, Math.abs(s.getCommandedPosition(i) - firstLabel[i]));
        }
        largestGap = Math.max(largestGap, gap);
      }
    }
    assertTrue(largestGap > 0.3, "the labels are the expert's reach, not the held pose (rad): " + largestGap);
    assertTrue(labelDrift > 0.3, "the labels follow the expert's plan (rad): " + labelDrift);

    // training data: the failed, expert-labelled episode loads
    var set = RecordedDemos.load(dir, null, null, 0, null);
    assertEquals(1, set.episodes().size());
  }

  @Test
  void afterATakeoverTheExpertsDriveIsRecordedInTheSameEpisode(@TempDir Path dir) throws Exception {
    SupervisedRollouts.Options o = new SupervisedRollouts.Options("optimus", "pick-place", SimulatedWorlds.KINEMATIC,
        1, 11, 30, TakeoverRule.DEFAULT, SupervisedRollouts.Labels.EXPERT);
    SupervisedRollouts.Result r = SupervisedRollouts.run(EngineRoundTakeoverTest.HoldStill::new, "hold-still", o,
        dir, "dagger", null);
    SupervisedRollouts.Episode ep = r.perEpisode().get(0);
    assertTrue(ep.tookOver() && ep.success(), ep.toString());
    EpisodeEntry e = Dataset.open(dir).episodes().get(0);
    assertEquals("SUCCESS", e.outcome());
    assertEquals(ep.durationS() * EngineRoundTakeoverTest.STATE_RATE_HZ, e.stateFrames(), 15, ep.toString());
    try (EpisodeReader reader = EpisodeReader.open(dir.resolve(e.file()))) {
      Iterator<EpisodeFrame> it = reader.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.ANNOTATION));
      Annotation a = it.next().as(Annotation.class);
      assertEquals("intervention", a.getKind());
      assertTrue(a.getText().contains("strayed"), a.getText());
      assertFalse(it.hasNext());
    }
    assertNull(e.error());
  }
}
