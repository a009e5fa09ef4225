package io.optimus.motion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.Robots;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RobotCommandTest {
  private static JsonNode run(String... args) throws Exception {
    CommandLine cli = new CommandLine(new RobotCommand());
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    Exception[] failure = new Exception[1];
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      failure[0] = ex;
      return 2;
    });
    int code = cli.execute(args);
    if (failure[0] != null) {
      throw failure[0];
    }
    assertEquals(0, code);
    return Json.MAPPER.readTree(out.toString());
  }

  @Test
  void infoListsJointsLinksAndMass() throws Exception {
    JsonNode info = run("info", "--robot", "optimus");
    RobotModel m = Robots.load("optimus");
    assertEquals(61, info.get("dof").asInt());
    assertEquals(51, info.get("independent_dof").asInt());
    assertEquals(m.totalMass(), info.get("total_mass").asDouble(), 1e-9);
    assertEquals(m.joints().size(), info.get("joints").size());
    assertEquals(m.links().size(), info.get("links").size());
    JsonNode dip = null;
    for (JsonNode j : info.get("joints")) {
      if (j.get("name").asText().equals("left_index_dip_joint")) {
        dip = j;
      }
    }
    assertEquals("left_index_pip_joint", dip.get("mimic").get("joint").asText());
    assertEquals("revolute", dip.get("type").asText());
    assertEquals(1.4, dip.get("limits").get("upper").asDouble(), 1e-12);
  }

  @Test
  void fkMatchesTheKinematicsAndFollowsMimics(@TempDir Path dir) throws Exception {
    Path q = dir.resolve("q.json");
    Files.writeString(q, "{\"left_elbow_joint\": -1.2, \"left_index_pip_joint\": 1.0}");
    JsonNode fk = run("fk", "--robot", "optimus", "--q", q.toString());
    RobotModel m = Robots.load("optimus");
    Kinematics kin = new Kinematics(m);
    KinematicsData d = kin.newData();
    d.q[m.qIndex("left_elbow_joint")] = -1.2;
    d.q[m.qIndex("left_index_pip_joint")] = 1.0;
    kin.forward(d);
    for (String link : new String[] {"left_palm", "left_index_tip", "pelvis"}) {
      var expected = d.linkPose(link).translation();
      JsonNode p = fk.get(link).get("p");
      assertEquals(expected.x(), p.get(0).asDouble(), 1e-12, link);
      assertEquals(expected.z(), p.get(2).asDouble(), 1e-12, link);
    }
    assertEquals(1.0, fk.get("pelvis").get("q").get(0).asDouble(), 1e-12, "root at identity");
    // with the dip joint left at 0 in the input, the tip only matches if the mimic followed its source
    assertTrue(fk.get("left_index_tip").get("p").get(2).asDouble() > d.linkPose("left_index_proximal").translation().z() - 0.1);
  }

  @Test
  void ikReachesATargetGivenAsAFile(@TempDir Path dir) throws Exception {
    RobotModel m = Robots.load("optimus");
    Kinematics kin = new Kinematics(m);
    KinematicsData d = kin.newData();
    d.q[m.qIndex("right_shoulder_pitch_joint")] = -0.8;
    d.q[m.qIndex("right_elbow_joint")] = -1.0;
    d.q[m.qIndex("right_wrist_pitch_joint")] = 0.3;
    kin.forward(d);
    var t = d.linkPose("right_palm");
    Path targets = dir.resolve("targets.json");
    Files.writeString(targets, String.format(java.util.Locale.ROOT,
        "{\"targets\": [{\"link\": \"right_palm\", \"p\": [%f, %f, %f], \"q\": [%f, %f, %f, %f]}]}",
        t.translation().x(), t.translation().y(), t.translation().z(), t.rotation().w(), t.rotation().x(),
        t.rotation().y(), t.rotation().z()));
    JsonNode ik = run("ik", "--robot", "optimus", "--targets", targets.toString());
    JsonNode r = ik.get("residuals").get(0);
    assertTrue(r.get("position_error_m").asDouble() < 0.005, r.toString());
    assertTrue(r.get("orientation_error_deg").asDouble() < 2, r.toString());
    assertEquals(m.dof(), ik.get("q").size());
  }

  @Test
  void badInputNamesTheProblem(@TempDir Path dir) throws Exception {
    InputException e = assertThrows(InputException.class, () -> run("fk", "--robot", "optimus", "--q", "{\"nope\": 1}"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    e = assertThrows(InputException.class, () -> run("fk", "--robot", "optimus", "--q", "{\"left_elbow_joint\": \"x\"}"));
    assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
    Path bad = dir.resolve("t.json");
    Files.writeString(bad, "{\"targets\": [{\"link\": \"left_palm\", \"q\": [0, 0, 0, 0]}]}");
    e = assertThrows(InputException.class, () -> run("ik", "--robot", "optimus", "--targets", bad.toString()));
    assertTrue(e.getMessage().contains("zero quaternion"), e.getMessage());
    e = assertThrows(InputException.class, () -> run("info", "--robot", dir.resolve("missing.urdf").toString()));
    assertTrue(e.getMessage().contains("missing.urdf"), e.getMessage());
  }
}
