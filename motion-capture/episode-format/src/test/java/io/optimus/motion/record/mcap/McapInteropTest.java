package io.optimus.motion.record.mcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from McapWriter (and from McapRecovery) read by the official TypeScript reader. */
class McapInteropTest {
  @TempDir Path dir;

  @Test
  void officialTypeScriptReaderDecodesOurFile() throws Exception {
    assumeTrue(NodeMcapReader.unavailable().isEmpty(), () -> NodeMcapReader.unavailable().orElse(""));
    Path f = McapFileTest.writeSample(dir.resolve("a.mcap"), 1000, McapFileTest.small());
    JsonNode out = NodeMcapReader.read(f);
    assertEquals("1334", out.get("messageCount").asText());
    assertEquals(1000, out.at("/topics/~1a/count").asInt());
    assertEquals(334, out.at("/topics/~1b/count").asInt());
    assertEquals("optimus.v1.JointState", out.at("/topics/~1a/schema").asText());
    assertEquals(20, out.at("/topics/~1a/first/position/length").asInt());
    assertTrue(out.get("ordered").asBoolean());
    assertEquals(1334, out.get("streamedMessages").asInt());
    assertTrue(out.get("footer").asBoolean());
    assertEquals("pick-place", out.at("/metadata/episode/task").asText());
  }

  @Test
  void officialReaderAcceptsARecoveredFile() throws Exception {
    assumeTrue(NodeMcapReader.unavailable().isEmpty(), () -> NodeMcapReader.unavailable().orElse(""));
    Path f = McapFileTest.writeSample(dir.resolve("b.mcap"), 1000, McapFileTest.small());
    byte[] bytes = java.nio.file.Files.readAllBytes(f);
    Path cut = dir.resolve("cut.mcap");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    McapRecovery.Report rep = McapRecovery.recover(cut, dir.resolve("fixed.mcap"), McapFileTest.small());
    assertTrue(rep.messages() > 100);
    JsonNode out = NodeMcapReader.read(dir.resolve("fixed.mcap"));
    assertEquals(Long.toString(rep.messages()), out.get("messageCount").asText());
    assertEquals(rep.messages(), out.get("streamedMessages").asLong());
    assertTrue(out.at("/metadata/recovery/reason").asText().length() > 0);
  }
}
