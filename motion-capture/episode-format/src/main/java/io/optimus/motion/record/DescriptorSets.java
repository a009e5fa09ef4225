package io.optimus.motion.record;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.optimus.motion.record.mcap.McapException;
import io.optimus.motion.record.mcap.McapSchema;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Builds descriptors from an embedded FileDescriptorSet, for schemas this build does not know. */
final class DescriptorSets {
  private DescriptorSets() {}

  static Descriptor find(Path file, McapSchema schema) {
    if (!schema.encoding().equals("protobuf")) {
      throw new McapException(file, -1, "schema " + schema.name() + " has encoding '" + schema.encoding()
          + "'; episodes use protobuf");
    }
    try {
      FileDescriptorSet set = FileDescriptorSet.parseFrom(schema.data());
      Map<String, FileDescriptor> built = new HashMap<>();
      Map<String, FileDescriptorProto> protos = new HashMap<>();
      for (FileDescriptorProto p : set.getFileList()) {
        protos.put(p.getName(), p);
      }
      for (FileDescriptorProto p : set.getFileList()) {
        FileDescriptor f = build(file, p, protos, built, new HashSet<>());
        String pkg = f.getPackage().isEmpty() ? "" : f.getPackage() + ".";
        for (Descriptor d : f.getMessageTypes()) {
          if ((pkg + d.getName()).equals(schema.name())) {
            return d;
          }
        }
      }
    } catch (InvalidProtocolBufferException | DescriptorValidationException e) {
      throw new McapException(file, -1, "schema " + schema.name() + " is not a valid FileDescriptorSet: " + e.getMessage());
    }
    throw new McapException(file, -1, "schema " + schema.name() + " is not defined in its FileDescriptorSet");
  }

  private static FileDescriptor build(Path file, FileDescriptorProto p, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built, Set<String> building) throws DescriptorValidationException {
    FileDescriptor done = built.get(p.getName());
    if (done != null) {
      return done;
    }
    if (!building.add(p.getName())) { // a file that (indirectly) imports itself would recurse forever
      throw new McapException(file, -1, "the FileDescriptorSet's imports form a cycle through " + p.getName());
    }
    FileDescriptor[] deps = new FileDescriptor[p.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      FileDescriptorProto dep = protos.get(p.getDependency(i));
      if (dep == null) {
        throw new McapException(file, -1, "the FileDescriptorSet lacks dependency " + p.getDependency(i));
      }
      deps[i] = build(file, dep, protos, built, building);
    }
    FileDescriptor f = FileDescriptor.buildFrom(p, deps);
    built.put(p.getName(), f);
    return f;
  }
}
