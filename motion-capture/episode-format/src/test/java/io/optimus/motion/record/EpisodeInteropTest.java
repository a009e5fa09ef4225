package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.motion.record.mcap.NodeMcapReader;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.SafetyEvent;
import io.optimus.proto.v1.SafetyEventType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An episode as the official TypeScript MCAP reader (what Foxglove uses) sees it. */
class EpisodeInteropTest {
  @TempDir Path dir;

  @Test
  void officialReaderDecodesEveryChannelWithTheEmbeddedSchemas() throws Exception {
    assumeTrue(NodeMcapReader.unavailable().isEmpty(), () -> NodeMcapReader.unavailable().orElse(""));
    Path file = dir.resolve("ep.mcap");
    EpisodeWriter w = EpisodeWriter.start(file, header("interop", robot(52, 2, 32, 500, 30)),
        EpisodeWriterTest.fast(), null);
    EpisodeWriterTest.record(w, 52, 700, -1, -1);
    w.writeSafetyEvent(SafetyEvent.newBuilder().setType(SafetyEventType.SAFETY_EVENT_ESTOP_LATCHED).setDetail("x").build());
    EpisodeSummary s = w.finish(EpisodeOutcome.EPISODE_OUTCOME_DISCARD, "operator discarded");
    assertTrue(s.ok());

    JsonNode out = NodeMcapReader.read(file);
    assertEquals(700, out.at("/topics/~1state/count").asInt());
    assertEquals("optimus.v1.JointState", out.at("/topics/~1state/schema").asText());
    assertEquals(52, out.at("/topics/~1state/first/position/length").asInt());
    assertEquals(52, out.at("/topics/~1state/first/commanded_position/length").asInt());
    assertEquals(42, out.at("/topics/~1camera~1head/count").asInt());
    assertEquals("IMAGE_ENCODING_RGB8", out.at("/topics/~1camera~1head/first/encoding").asText());
    // The camera's Foxglove view: what Foxglove's Image panel decodes, by schema name and embedded descriptor.
    assertEquals(42, out.at("/topics/~1camera~1head~1image/count").asInt());
    assertEquals("foxglove.RawImage", out.at("/topics/~1camera~1head~1image/schema").asText());
    assertEquals("rgb8", out.at("/topics/~1camera~1head~1image/first/encoding").asText());
    assertEquals(32, out.at("/topics/~1camera~1head~1image/first/width").asInt());
    assertEquals(32, out.at("/topics/~1camera~1head~1image/first/height").asInt());
    assertEquals(96, out.at("/topics/~1camera~1head~1image/first/step").asInt());
    assertEquals("head_camera", out.at("/topics/~1camera~1head~1image/first/frame_id").asText());
    assertEquals(4096, out.at("/topics/~1camera~1head~1image/first/data/length").asInt(), "3072 bytes as base64");
    assertEquals(Long.toString(EpisodeWriterTest.WALL0 / 1_000_000_000L),
        out.at("/topics/~1camera~1head~1image/first/timestamp/seconds").asText());
    assertEquals(42, out.at("/topics/~1camera~1wrist1~1image/count").asInt());
    assertEquals(140, out.at("/topics/~1operator/count").asInt());
    assertEquals("SAFETY_EVENT_ESTOP_LATCHED", out.at("/topics/~1safety~1event/first/type").asText());
    assertEquals("interop", out.at("/topics/~1episode~1header/first/episode_id").asText());
    assertEquals("EPISODE_OUTCOME_DISCARD", out.at("/topics/~1episode~1outcome/first/outcome").asText());
    assertEquals("operator discarded", out.at("/topics/~1episode~1outcome/first/notes").asText());
    assertEquals("ab".repeat(32), out.at("/metadata/episode/robot_model_hash").asText());
    assertEquals("EPISODE_OUTCOME_DISCARD", out.at("/metadata/outcome/outcome").asText());
    assertTrue(out.get("ordered").asBoolean());
    assertEquals(out.get("messageCount").asLong(), out.get("streamedMessages").asLong());
  }
}
