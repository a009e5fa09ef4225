package io.optimus.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.DatasetValidation;
import io.optimus.motion.record.EpisodeEntry;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.proto.v1.JointInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo loop, tiny: real embedded HiveMQ, real bridge and scripted operator over MQTT, real
 * MCAP recordings, real DJL training, evaluation and deployment. Whether the scripted operator
 * succeeds depends on timing on a loaded machine; without a successful demonstration the pipeline
 * must say training is unavailable (it never trains a task on failures), and that is asserted instead.
 */
class DemoPipelineTest {
  @TempDir Path tmp;

  @Test
  void runsTheLoopEndToEndAndLeavesReadableArtefacts() throws Exception {
    DemoCommand.quietLibraryLogs();
    DemoOptions o = DemoOptions.tiny(tmp.resolve("demo"));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    DemoReport r = new DemoPipeline(o, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    String log = progress.toString(StandardCharsets.UTF_8);
    System.out.println(r.render()); // in the surefire report: which branch below this run took

    // stage 1-2: recordings exist, validate, carry full joint trajectories, camera and operator frames
    assertNotNull(r.recordings(), log);
    assertEquals(o.demos(), r.recordings().episodes(), "one episode file per demonstration\n" + log);
    Dataset d = Dataset.open(o.recordings());
    DatasetValidation v = d.validate();
    assertTrue(v.ok(), "recordings validate: " + v);
    RobotModel model = Robots.load("optimus");
    int successes = 0;
    int cameraSize = 0;
    for (EpisodeEntry e : d.episodes()) {
      try (EpisodeReader er = EpisodeReader.open(o.recordings().resolve(e.file()))) {
        assertEquals(model.toDescription("x").getJointsCount(), er.jointNames().size(), "every joint recorded");
        assertTrue(er.messageCount(EpisodeTopics.STATE) > 100, "joint states in " + e.file());
        assertTrue(er.messageCount(EpisodeTopics.OPERATOR) > 50, "operator frames in " + e.file());
        assertTrue(er.messageCount(EpisodeTopics.camera("head")) > 5, "camera frames in " + e.file());
        cameraSize = (int) er.header().getRobot().getCameras(0).getWidth();
      }
      successes += e.outcome().equals("SUCCESS") ? 1 : 0;
    }
    assertEquals(successes, r.recordings().successful(), "report counts the marked successes");
    assertTrue(r.latency().samples() > 50 && r.latency().appliedP50Ms() > 0
        && r.latency().appliedP99Ms() >= r.latency().appliedP50Ms(), "latency from stage timestamps: " + r.latency());

    // report on disk and on screen
    JsonNode json = Json.MAPPER.readTree(Files.readString(o.out().resolve("report.json")));
    for (String field : List.of("recordings", "latency", "training", "evaluation", "deployment", "foxglove")) {
      assertTrue(json.has(field), "report.json has " + field);
    }
    String text = r.render();
    assertTrue(text.contains(o.recordings().toString()) && text.contains("p50") && text.contains("p99")
        && text.contains("Foxglove"), text);

    if (successes == 0) {
      assertEquals(DemoReport.UNAVAILABLE, r.training().status(), log);
      assertTrue(r.training().reason().contains("no usable episodes"), r.training().reason());
      assertTrue(log.contains("UNAVAILABLE"), "the demo says which stage could not run:\n" + log);
      assertEquals(DemoReport.SKIPPED, r.evaluation().status());
      return;
    }
    // stage 3: the model loads for the robot's joints
    assertEquals(DemoReport.OK, r.training().status(), log);
    List<String> joints = model.toDescription("x").getJointsList().stream().map(JointInfo::getName).toList();
    try (LearnedPolicy p = LearnedPolicy.load(o.policyRun(), joints, cameraSize, true)) {
      assertEquals(o.trainSteps(), r.training().report().steps());
      assertFalse(p.trained().meta().joints().names().isEmpty());
    }
    // stage 4: evaluated and deployed for real (success is not expected from 10 training steps)
    assertEquals(DemoReport.OK, r.evaluation().status(), log);
    assertEquals(o.evalEpisodes(), r.evaluation().episodes());
    assertEquals(DemoReport.OK, r.deployment().status(), log);
    assertTrue(r.deployment().commands() > 0, "the deployed policy commanded the robot: " + r.deployment());
    assertTrue(Dataset.open(o.deployRecordings()).validate().ok(), "deployment recording validates");
    assertTrue(text.contains(o.policyRun().toString()), text);
  }
}
