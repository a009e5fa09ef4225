package io.optimus.motion.bvh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.proto.v1.EpisodeSourceKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MocapRetargetCommandTest {

  @Test
  void retargetWritesAnEpisodeAndReportsErrorsAndVelocity(@TempDir Path dir) throws Exception {
    Path bvh = MocapInfoCommandTest.clip("cmu_02_01_walk__mb.bvh");
    Path out = dir.resolve("ep.mcap");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = new CommandLine(new MocapCommand());
    cli.setOut(new PrintWriter(stdout));
    cli.setErr(new PrintWriter(stderr));
    int code = cli.execute("retarget", "--bvh", bvh.toString(), "--robot", "optimus", "--out", out.toString(),
        "--rate", "50", "--units", "cmu");
    assertEquals(0, code, stderr.toString());
    assertTrue(stderr.toString().contains("retarget 100%"), stderr.toString());
    JsonNode report = Json.MAPPER.readTree(stdout.toString());
    assertEquals("cmu_motionbuilder", report.get("convention").asText());
    assertTrue(report.get("worstVelocityRatio").asDouble() <= 1.0 + 1e-6);
    assertTrue(report.get("timeScale").asDouble() >= 1.0);
    JsonNode errors = report.get("trackingError");
    assertEquals(14, errors.size());
    for (var it = errors.fields(); it.hasNext(); ) {
      var e = it.next();
      double mean = e.getValue().get("meanErrorM").asDouble();
      assertTrue(mean >= 0 && mean < 0.05, e.getKey() + " mean " + mean);
      assertTrue(e.getValue().get("maxErrorM").asDouble() >= mean);
    }
    assertEquals("left_wrist_yaw_link", errors.get("left_wrist").get("robotLink").asText());
    // reachable-frame figures beside the all-frame ones: a walk is reachable for the arms and head
    for (String k : java.util.List.of("left_elbow", "right_elbow", "left_wrist", "right_wrist", "head")) {
      JsonNode e = errors.get(k);
      double share = e.get("reachableShare").asDouble();
      assertTrue(share > 0.9 && share <= 1, k + " reachable share " + share);
      assertTrue(e.get("reachableP95ErrorM").asDouble() <= 0.06, k + " " + e);
      assertTrue(e.get("reachableMaxErrorM").asDouble() <= e.get("maxErrorM").asDouble() + 1e-9, k + " " + e);
    }
    assertEquals(0.01, report.get("reachability").get("toleranceM").asDouble());
    assertTrue(report.get("reachability").get("definition").asText().contains("joint position limits"));
    assertEquals(report.get("segmentCloseness").size(), report.get("segmentClosenessReachable").size());
    assertTrue(stderr.toString().contains("reachable cm mean/p95"), stderr.toString());
    JsonNode segments = report.get("segmentCloseness");
    java.util.List<String> names = new java.util.ArrayList<>();
    segments.fieldNames().forEachRemaining(names::add);
    assertEquals(java.util.List.of("head", "torso", "upper_arms", "forearms", "hands", "thighs", "shins"), names);
    for (JsonNode s : segments) {
      assertTrue(s.get("positionMaxM").asDouble() >= s.get("positionMeanM").asDouble(), s.toString());
      double share = s.get("withinShare").asDouble();
      assertTrue(share >= 0 && share <= 1, s.toString());
    }
    assertTrue(stderr.toString().contains("within 3 cm & 10 deg"), stderr.toString());
    assertTrue(stderr.toString().lines().anyMatch(l -> l.startsWith("upper_arms ")), stderr.toString());
    assertTrue(Files.size(out) > 10_000);
    try (EpisodeReader reader = EpisodeReader.open(out)) {
      assertEquals(EpisodeSourceKind.EPISODE_SOURCE_KIND_MOCAP, reader.header().getSourceKind());
      assertEquals(report.get("ticks").asLong(), reader.messageCount("/state"));
      // opens as a 3D scene in Foxglove like the bridge's episodes: link transforms and the robot's geometry
      assertTrue(reader.messageCount("/tf") > 0, "no /tf in a mocap episode");
      assertTrue(reader.messageCount("/scene/robot") > 0, "no /scene/robot in a mocap episode");
    }
  }

  @Test
  void badOptionsAreUsageErrors(@TempDir Path dir) {
    CommandLine cli = new CommandLine(new MocapCommand());
    cli.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cli.execute("retarget", "--bvh", "x.bvh", "--out", dir.resolve("o.mcap").toString(),
        "--time-scale", "0.5"));
    assertEquals(2, cli.execute("retarget", "--bvh", "x.bvh"));
  }
}
