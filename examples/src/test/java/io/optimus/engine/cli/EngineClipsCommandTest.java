package io.optimus.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.cli.OptimusCli;
import io.optimus.common.Json;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipTrigger;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EngineClipsCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = OptimusCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void listsAcceptsRejectsAndRelabelsClips(@TempDir Path dir) throws Exception {
    Clip a = Clip.of("r1", "ep1", ClipTrigger.DISAGREEMENT, 1_000, 2_000, 0.3, "d");
    Clip b = Clip.of("r1", "ep1", ClipTrigger.TAKEOVER, 5_000, 9_000, 4.0, "t");
    Clip c = Clip.of("r1", "ep2", ClipTrigger.SAFETY, 1_000, 3_000, 2, "s");
    ClipQueue.in(dir).add(a);
    ClipQueue.in(dir).add(b);
    ClipQueue.in(dir).add(c);
    String d = dir.toString();
    Run list = run("engine", "clips", d);
    assertEquals(0, list.code(), list.err());
    JsonNode j = Json.MAPPER.readTree(list.out());
    assertEquals(3, j.get("clips").size());
    assertEquals("takeover", j.get("clips").get(1).get("trigger").asText());
    assertEquals("ep1", j.get("clips").get(1).get("episodeId").asText());
    assertEquals(3, j.get("counts").get("pending").asInt());

    assertEquals(0, run("engine", "clips", d, "accept", a.id(), b.id()).code());
    assertEquals(0, run("engine", "clips", d, "reject", c.id()).code());
    Run relabel = run("engine", "clips", d, "relabel", b.id(), "regrasp after slip");
    assertEquals(0, relabel.code(), relabel.err());
    JsonNode accepted = Json.MAPPER.readTree(run("engine", "clips", d, "--state", "accepted").out());
    assertEquals(2, accepted.get("clips").size());
    assertEquals("regrasp after slip", accepted.get("clips").get(1).get("label").asText());
    JsonNode safety = Json.MAPPER.readTree(run("engine", "clips", d, "--trigger", "safety").out());
    assertEquals("rejected", safety.get("clips").get(0).get("state").asText());
  }

  @Test
  void badInputIsOneLineWithExitCode2(@TempDir Path dir) throws Exception {
    Clip a = Clip.of("r1", "ep1", ClipTrigger.DISAGREEMENT, 1_000, 2_000, 0.3, "d");
    ClipQueue.in(dir).add(a);
    String d = dir.toString();
    assertBad(run("engine", "clips", dir.resolve("nope").toString()), "no such dataset directory");
    assertBad(run("engine", "clips", d, "accept", "ffff"), "no clip 'ffff'");
    assertBad(run("engine", "clips", d, "promote", a.id()), "action 'promote'");
    assertBad(run("engine", "clips", d, "relabel", a.id()), "relabel takes");
    assertBad(run("engine", "clips", d, "--state", "maybe"), "--state 'maybe'");
    Files.writeString(dir.resolve(ClipQueue.FILE), "{\"op\":\"clip\",\"id\":\"x\",\"score\":NaN}\n",
        java.nio.file.StandardOpenOption.APPEND);
    Run bad = run("engine", "clips", d);
    assertBad(bad, "clips.jsonl line 2: not JSON");
  }

  static void assertBad(Run r, String what) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(what), r.err());
    assertTrue(r.err().startsWith("optimus engine clips: "), r.err());
  }
}
