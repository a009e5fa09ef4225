package io.optimus.motion.record;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * MCAP "protobuf" schema data: the serialized FileDescriptorSet of the message's .proto file and all
 * its dependencies (dependencies first), so any reader can decode the messages without our code.
 */
public final class ProtoSchemas {
  private ProtoSchemas() {}

  public static byte[] fileDescriptorSet(Descriptor message) {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    addWithDependencies(message.getFile(), ordered);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : ordered) {
      set.addFile(f.toProto());
    }
    return set.build().toByteArray();
  }

  private static void addWithDependencies(FileDescriptor file, Set<FileDescriptor> out) {
    if (out.contains(file)) {
      return;
    }
    for (FileDescriptor dep : file.getDependencies()) {
      addWithDependencies(dep, out);
    }
    out.add(file);
  }
}
