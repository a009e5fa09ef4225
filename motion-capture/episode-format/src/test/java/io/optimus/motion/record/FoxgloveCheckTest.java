package io.optimus.motion.record;

import static io.optimus.motion.record.SyntheticRecording.header;
import static io.optimus.motion.record.SyntheticRecording.robot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.optimus.motion.record.mcap.NodeMcapReader;
import io.optimus.proto.foxglove.FrameTransform;
import io.optimus.proto.foxglove.FrameTransforms;
import io.optimus.proto.foxglove.Quaternion;
import io.optimus.proto.foxglove.Vector3;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check-foxglove.cjs fails what it should: a foxglove.* schema unlike Foxglove's, a frame with two parents, a cycle, NaN. */
class FoxgloveCheckTest {
  @TempDir
  Path dir;

  @Test
  void aSchemaUnlikeFoxglovesAndABrokenTreeAreReported() throws Exception {
    assumeTrue(NodeMcapReader.foxgloveUnavailable().isEmpty(), () -> NodeMcapReader.foxgloveUnavailable().orElse(""));
    // "foxglove.PoseInFrame" with frame_id as field 5: our descriptor decodes it, Foxglove's does not see it.
    FileDescriptor fake = FileDescriptor.buildFrom(FileDescriptorProto.newBuilder().setName("foxglove/PoseInFrame.proto")
        .setPackage("foxglove").setSyntax("proto3").addMessageType(DescriptorProto.newBuilder().setName("PoseInFrame")
            .addField(FieldDescriptorProto.newBuilder().setName("frame_id").setNumber(5)
                .setType(FieldDescriptorProto.Type.TYPE_STRING))).build(), new FileDescriptor[0]);
    Descriptor pose = fake.findMessageTypeByName("PoseInFrame");
    EpisodeWriter w = EpisodeWriter.start(dir.resolve("bad.mcap"), header("bad", robot(2, 0, 0, 250, 0)),
        EpisodeWriterTest.fast(), null);
    assertTrue(w.offer("/pose", DynamicMessage.newBuilder(pose).setField(pose.findFieldByName("frame_id"), "world").build()));
    assertTrue(w.offer(EpisodeTopics.TF, FrameTransforms.newBuilder()
        .addTransforms(tf("world", "a", 1)).addTransforms(tf("a", "b", 1)).addTransforms(tf("b", "c", 1))
        .addTransforms(tf("c", "b", 1)) // b and c: a cycle, and b with two parents
        .addTransforms(tf("world", "d", Double.NaN)).build()));
    assertTrue(w.finish().ok());

    JsonNode out = NodeMcapReader.checkFoxglove(w.file());
    String problems = out.get("problems").toString();
    assertTrue(problems.contains("/pose: decodes differently with Foxglove's published foxglove.PoseInFrame at /frame_id"),
        problems);
    assertTrue(problems.contains("frame b has 2 parents"), problems);
    assertTrue(problems.contains("cycle through"), problems);
    assertTrue(problems.contains("non-finite transform world -> d"), problems);
    assertEquals(0, out.at("/topics/~1pose/foxgloveChecked").asInt());
    assertTrue(!problems.contains("/tf: decodes differently"), "a NaN decodes alike both ways: " + problems);
    assertEquals("[\"world\"]", out.get("roots").toString());
  }

  private static FrameTransform tf(String parent, String child, double x) {
    return FrameTransform.newBuilder().setParentFrameId(parent).setChildFrameId(child)
        .setTranslation(Vector3.newBuilder().setX(x)).setRotation(Quaternion.newBuilder().setW(1)).build();
  }
}
