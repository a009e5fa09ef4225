package io.optimus.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.EpisodeSourceKind;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import io.optimus.proto.v1.TaskState;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.RecordedDemos;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted VR operator drives the simulated optimus through the bridge's teleop source
 * (whole-body IK) and safety supervisor, in stepped time, and the episode is recorded.
 */
class ScriptedDemosTest {
  @TempDir Path dir;

  @Test
  void recordsAScriptedEpisodeTheOperatorEngagedAndMoved() throws Exception {
    new ScriptedDemos("optimus", 3.0).record(dir, "pick-place", 1, 5, null);
    Dataset d = Dataset.open(dir);
    assertEquals(1, d.episodes().size());
    EpisodeEntry e = d.episodes().get(0);
    assertEquals(null, e.error());
    assertTrue(List.of("SUCCESS", "FAILURE").contains(e.outcome()), e.outcome());
    assertEquals(750, e.stateFrames(), "3 s at 250 Hz");
    assertEquals(30L, e.messagesByTopic().get("/camera/head"), "3 s at 10 Hz");
    try (EpisodeReader r = EpisodeReader.open(dir.resolve(e.file()))) {
      assertEquals(EpisodeSourceKind.EPISODE_SOURCE_KIND_SCRIPTED, r.header().getSourceKind());
      boolean engaged = false;
      double[] first = null;
      double moved = 0;
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE,
          List.of(EpisodeTopics.STATE, EpisodeTopics.SAFETY_EVENT)); it.hasNext(); ) {
        EpisodeFrame f = it.next();
        if (f.topic().equals(EpisodeTopics.SAFETY_EVENT)) {
          engaged |= f.as(SafetyEvent.class).getType() == SafetyEventType.SAFETY_EVENT_ENGAGED;
          continue;
        }
        JointState s = f.as(JointState.class);
        assertEquals("teleop", s.getActionSource());
        if (first == null) {
          first = s.getPositionList().stream().mapToDouble(Double::doubleValue).toArray();
        }
        for (int i = 0; i < first.length; i++) {
          moved = Math.max(moved, Math.abs(s.getPosition(i) - first[i]));
        }
      }
      assertTrue(engaged, "the operator's deadman engaged the robot");
      assertNotEquals(0.0, moved);
      assertTrue(moved > 0.05, "the retargeted operator moved the robot: max joint travel " + moved);
    }
  }

  @Test
  void aFumbledGraspIsRecordedAsAMissAndLeftOutOfImitation() throws Exception {
    new ScriptedDemos("optimus", 8.0, 1.0, false).record(dir, "pick-place", 1, 5, null);
    EpisodeEntry e = Dataset.open(dir).episodes().get(0);
    int missed = 0;
    try (EpisodeReader r = EpisodeReader.open(dir.resolve(e.file()))) {
      for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.TASK));
          it.hasNext(); ) {
        missed = Math.max(missed, it.next().as(TaskState.class).getMissedGrasps());
      }
    }
    assertTrue(missed >= 1, "the robot's task state counted the closing on nothing");
    EpisodeData d = RecordedDemos.load(dir, null, null, 50, true, null).episodes().get(0);
    int masked = 0;
    for (int t = 0; t < d.length(); t++) {
      masked += d.imitated(t) ? 0 : 1;
    }
    assertTrue(masked >= 50 && masked < d.length(), masked + " of " + d.length() + " ticks left out");
  }

  @Test
  void recordsStackAndHandoverDemonstrationsInSteppedTime() throws Exception {
    for (String task : List.of("stack", "handover")) {
      Path d = dir.resolve(task);
      // Kinematic world: this checks what a stack or handover recording holds, from a first seed that succeeds
      // there; how often the scripted operators succeed by contact is measured by ScriptedTasksSuccessRateTest.
      new ScriptedDemos("optimus", ScriptedDemos.DEFAULT_TIMEOUT_S).world("kinematic")
          .record(d, task, 1, 3, System.out);
      EpisodeEntry e = Dataset.open(d).episodes().get(0);
      assertEquals(null, e.error());
      assertEquals("SUCCESS", e.outcome(), task + ": the scripted operator did it");
      try (EpisodeReader r = EpisodeReader.open(d.resolve(e.file()))) {
        assertEquals(task, r.header().getTask());
        assertEquals("scripted:" + task, r.header().getSource());
        TaskState last = null;
        for (Iterator<EpisodeFrame> it = r.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.TASK));
            it.hasNext(); ) {
          last = it.next().as(TaskState.class);
        }
        assertEquals(task, last.getTask());
        assertEquals(task.equals("stack") ? 2 : 1, last.getObjectsCount());
      }
    }
  }

  @Test
  void anUnknownTaskIsAOneLineError() {
    InputException e = assertThrows(InputException.class,
        () -> new ScriptedDemos("optimus", 3.0).record(dir, "juggle", 1, 1, null));
    assertEquals("the scripted operator does tasks [pick-place, stack, handover], not 'juggle'", e.getMessage());
  }
}
