package io.optimus.motion.bvh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.Json;
import io.optimus.motion.bvh.BvhException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MocapInfoCommandTest {

  static Path clip(String name) {
    return io.optimus.motion.testing.SharedData.mocapClip(name);
  }

  private static JsonNode run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new MocapCommand());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute(args);
    assertEquals(0, code, out.toString());
    return Json.MAPPER.readTree(out.toString());
  }

  @Test
  void infoReportsTheClipAsJson() throws Exception {
    JsonNode info = run("info", clip("cmu_131_01_start_walk_stop__3dsmax.bvh").toString(), "--joints");
    assertEquals(31, info.get("joints").asInt());
    assertEquals(96, info.get("channels").asInt());
    assertEquals(994, info.get("frames").asInt());
    assertEquals(120.0, info.get("fps").asDouble(), 0.01);
    assertEquals("cmu", info.get("units").asText());
    assertTrue(info.get("unitsInferred").asBoolean());
    assertEquals("max_3ds", info.get("convention").asText());
    double height = info.get("heightM").asDouble();
    assertTrue(height > 1.3 && height < 1.9, "height " + height);
    assertEquals("LeftWrist", info.get("keypoints").get("left_wrist").asText());
    assertEquals(31, info.get("jointList").size());
    assertEquals("Zrotation", info.get("jointList").get(0).get("channels").get(3).asText());
    assertTrue(info.get("deadJoints").toString().contains("LFingers"), info.get("deadJoints").toString());
  }

  @Test
  void givenUnitsOverrideInference() throws Exception {
    JsonNode info = run("info", "--units", "cm", clip("cmu_02_06_bend_scoop_up_lift_arm__iclone.bvh").toString());
    assertEquals("cm", info.get("units").asText());
    assertTrue(!info.get("unitsInferred").asBoolean());
    assertEquals("iclone_cc_base", info.get("convention").asText());
  }

  @Test
  void malformedFileFailsWithAnInputError(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.bvh");
    Files.writeString(bad, "HIERARCHY\r\nROOT Hips\r\n{\r\n  OFFSET 0 0 0\r\n  CHANNELS 3 Xrotation Yrotation\r\n}\r\n");
    CommandLine cli = new CommandLine(new MocapCommand());
    AtomicReference<Exception> thrown = new AtomicReference<>();
    cli.setExecutionExceptionHandler((ex, line, parse) -> {
      thrown.set(ex);
      return 2;
    });
    assertEquals(2, cli.execute("info", bad.toString()));
    BvhException e = assertInstanceOf(BvhException.class, thrown.get());
    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith(bad + ":5: channel count mismatch"), e.getMessage());
    assertEquals(bad.toString(), e.file());
  }
}
