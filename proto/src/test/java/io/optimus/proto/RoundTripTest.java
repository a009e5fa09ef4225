package io.optimus.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.optimus.proto.v1.CameraProto;
import io.optimus.proto.v1.ControlProto;
import io.optimus.proto.v1.EpisodeProto;
import io.optimus.proto.v1.GeometryProto;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.OperatorProto;
import io.optimus.proto.v1.RobotProto;
import io.optimus.proto.v1.SafetyProto;
import io.optimus.proto.v1.WorldProto;
import io.optimus.proto.v1.ViewsProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message of every schema survives binary and JSON round trips with every field set. */
class RoundTripTest {

  static final List<FileDescriptor> FILES = List.of(
      GeometryProto.getDescriptor(), OperatorProto.getDescriptor(), RobotProto.getDescriptor(),
      CameraProto.getDescriptor(), SafetyProto.getDescriptor(), ControlProto.getDescriptor(),
      WorldProto.getDescriptor(), EpisodeProto.getDescriptor(), ViewsProto.getDescriptor());

  /** Messages sent on a topic or written as a record of their own: they carry a schema version. */
  static final Set<String> TOP_LEVEL = Set.of(
      "OperatorFrame", "RobotDescription", "JointCommand", "JointState", "CameraFrame", "SafetyEvent",
      "SafetyStatus", "ControlRequest", "ControlReply", "BridgeStatus", "OperatorStatus", "TaskState",
      "EpisodeHeader", "Annotation", "EpisodeOutcomeRecord", "StageLatency");

  static Stream<Descriptor> allMessages() {
    List<Descriptor> out = new ArrayList<>();
    for (FileDescriptor f : FILES) {
      for (Descriptor d : f.getMessageTypes()) {
        out.add(d);
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allMessages")
  void binaryAndJsonRoundTrip(Descriptor type) throws Exception {
    Message full = fill(type, 0, 1);
    assertNotEquals(DynamicMessage.getDefaultInstance(type), full, "filler set nothing");
    for (FieldDescriptor f : type.getFields()) {
      if (f.getRealContainingOneof() == null) {
        assertTrue(f.isRepeated() ? full.getRepeatedFieldCount(f) > 0 : full.hasField(f),
            type.getName() + "." + f.getName() + " not exercised");
      }
    }
    Message back = DynamicMessage.parseFrom(type, full.toByteString());
    assertEquals(full, back);

    JsonFormat.TypeRegistry none = JsonFormat.TypeRegistry.getEmptyTypeRegistry();
    String json = JsonFormat.printer().usingTypeRegistry(none).print(full);
    DynamicMessage.Builder fromJson = DynamicMessage.newBuilder(type);
    JsonFormat.parser().usingTypeRegistry(none).merge(json, fromJson);
    assertEquals(full, fromJson.build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allMessages")
  void everyOneofCaseRoundTrips(Descriptor type) throws Exception {
    for (var oneof : type.getRealOneofs()) {
      for (FieldDescriptor f : oneof.getFields()) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        b.setField(f, value(f, 0, 7));
        DynamicMessage m = b.build();
        DynamicMessage back = DynamicMessage.parseFrom(type, m.toByteArray());
        assertEquals(f, back.getOneofFieldDescriptor(oneof));
        assertEquals(m, back);
      }
    }
  }

  @Test
  void topLevelMessagesCarryASchemaVersion() {
    List<String> names = allMessages().map(Descriptor::getName).toList();
    assertTrue(names.containsAll(TOP_LEVEL), "a top-level message was renamed or removed");
    for (Descriptor d : allMessages().toList()) {
      if (TOP_LEVEL.contains(d.getName())) {
        FieldDescriptor v = d.findFieldByName("schema_version");
        assertTrue(v != null && v.getNumber() == 1, d.getName() + " must have schema_version = 1");
      }
    }
  }

  @Test
  void generatedClassesRoundTrip() throws Exception {
    OperatorFrame f = OperatorFrame.newBuilder().setSchemaVersion(1).setSequence(42)
        .setHead(io.optimus.proto.v1.Pose.newBuilder()
            .setOrientation(io.optimus.proto.v1.Quaternion.newBuilder().setW(1)))
        .build();
    assertEquals(f, OperatorFrame.parseFrom(f.toByteArray()));
    assertEquals(42, OperatorFrame.parseFrom(f.toByteArray()).getSequence());
  }

  @Test
  void garbageIsRejectedNotMisread() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThrows(InvalidProtocolBufferException.class, () -> OperatorFrame.parseFrom(garbage));
    byte[] good = fill(OperatorFrame.getDescriptor(), 0, 3).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
    assertThrows(InvalidProtocolBufferException.class, () -> OperatorFrame.parseFrom(truncated));
  }

  /** Builds a message with every field set to a non-default value derived from {@code seed}. */
  static Message fill(Descriptor type, int depth, int seed) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth > 4) {
        continue;
      }
      if (f.isMapField()) {
        Descriptor entry = f.getMessageType();
        DynamicMessage.Builder e = DynamicMessage.newBuilder(entry);
        e.setField(entry.findFieldByName("key"), value(entry.findFieldByName("key"), depth + 1, seed));
        e.setField(entry.findFieldByName("value"), value(entry.findFieldByName("value"), depth + 1, seed + 1));
        b.addRepeatedField(f, e.build());
      } else if (f.isRepeated()) {
        b.addRepeatedField(f, value(f, depth, seed));
        b.addRepeatedField(f, value(f, depth, seed + 5));
      } else {
        b.setField(f, value(f, depth, seed + f.getNumber()));
      }
    }
    return b.build();
  }

  static Object value(FieldDescriptor f, int depth, int seed) {
    return switch (f.getJavaType()) {
      case INT -> seed + 1;
      case LONG -> (long) seed * 1_000_000_007L + 3;
      case FLOAT -> 0.25f * (seed + 1);
      case DOUBLE -> 0.125 * (seed + 1) - 3.0;
      case BOOLEAN -> true;
      case STRING -> "s" + seed + "-é";
      case BYTE_STRING -> ByteString.copyFrom(new byte[] {(byte) seed, 0, (byte) 0xff});
      case ENUM -> f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1);
      case MESSAGE -> fill(f.getMessageType(), depth + 1, seed + 1);
    };
  }
}
