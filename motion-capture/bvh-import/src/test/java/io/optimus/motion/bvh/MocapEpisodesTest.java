package io.optimus.motion.bvh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeSummary;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.OperatorFrame;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MocapEpisodesTest {

  @Test
  void writesARetargetedClipAsAMocapEpisode(@TempDir Path dir) throws Exception {
    KeypointMotion human = KeypointMotionTest.load(SharedClips.WALK_MB);
    RobotModel model = Robots.load("optimus");
    MocapRetarget r = new MocapRetargeter(model, new MocapRetargeter.Options(50, 1, 3, 4))
        .retarget(human, FootContacts.detect(human), null);
    Path out = dir.resolve("walk.mcap");
    EpisodeSummary summary = MocapEpisodes.write(out, r, human, "sim-7", "walk");
    assertTrue(summary.ok());
    assertEquals(0, summary.dropped());

    try (EpisodeReader reader = EpisodeReader.open(out)) {
      var header = reader.header();
      assertEquals(EpisodeSourceKind.EPISODE_SOURCE_KIND_MOCAP, header.getSourceKind());
      assertEquals("bvh:" + SharedClips.WALK_MB, header.getSource());
      assertEquals("sim-7", header.getRobotId());
      assertEquals("walk", header.getTask());
      assertEquals(50.0, header.getControlRateHz());
      assertEquals(model.modelHash(), header.getRobot().getModelHash());
      assertEquals(model.dof(), header.getRobot().getJointsCount());
      assertEquals(model.dofJoints().get(0).name(), reader.jointNames().get(0));
      assertEquals(r.ticks(), reader.messageCount(EpisodeTopics.STATE));
      assertEquals(r.ticks(), reader.messageCount(EpisodeTopics.OPERATOR));
      assertEquals(EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, reader.outcome().orElseThrow().getOutcome());

      Iterator<EpisodeFrame> it = reader.frames();
      int states = 0;
      long lastStamp = Long.MIN_VALUE;
      while (it.hasNext()) {
        EpisodeFrame f = it.next();
        if (f.topic().equals(EpisodeTopics.STATE)) {
          JointState s = f.as(JointState.class);
          assertEquals(states, s.getSequence());
          assertEquals(model.dof(), s.getPositionCount());
          assertEquals(model.dof(), s.getVelocityCount());
          double[] q = r.q(states);
          for (int j = 0; j < q.length; j++) {
            assertEquals(q[j], s.getPosition(j), 0.0);
            assertEquals(q[j], s.getCommandedPosition(j), 0.0);
          }
          long stamp = s.getStamp().getMonotonicNs();
          if (states > 0) {
            assertEquals(20_000_000L, stamp - lastStamp, 1, "50 Hz stamps");
          }
          lastStamp = stamp;
          assertEquals("mocap", s.getActionSource());
          assertEquals(r.base(states)[0], s.getBasePose().getPosition().getX(), 0.0);
          states++;
        } else if (f.topic().equals(EpisodeTopics.OPERATOR)) {
          OperatorFrame o = f.as(OperatorFrame.class);
          assertTrue(o.getHeadValid());
          assertTrue(o.getSource().startsWith("bvh:"));
          assertEquals(16, o.getBody().getJointsCount(), "the operator's body is recorded (re-scoring later)");
        }
      }
      assertEquals(r.ticks(), states);
    }
    // Never overwrites.
    assertThrows(InputException.class, () -> MocapEpisodes.write(out, r, human, "sim-7", "walk"));
  }
}
