package io.optimus.motion.dataset.lerobot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet through parquet-java's example object model, local files only (no Hadoop file system),
 * Snappy-compressed as LeRobot writes them. Lists use Parquet's standard three-level LIST layout
 * ({@code name (LIST) { repeated group list { element } }}), which pyarrow reads as list columns.
 * Every field is optional (nullable), as pyarrow writes them, though the export never leaves one null.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  static ParquetWriter<Group> writer(Path file, org.apache.parquet.schema.MessageType schema, Map<String, String> meta)
      throws IOException {
    return ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withExtraMetaData(meta)
        .build();
  }

  static Type int64(String name) {
    return Types.optional(PrimitiveTypeName.INT64).named(name);
  }

  static Type float32(String name) {
    return Types.optional(PrimitiveTypeName.FLOAT).named(name);
  }

  static Type float64(String name) {
    return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
  }

  static Type string(String name) {
    return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
  }

  /** A LIST column whose elements are {@code element} (which must be named "element"). */
  static Type list(String name, Type element) {
    return Types.optionalGroup().as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup().addField(element).named("list")).named(name);
  }

  static void appendFloats(Group row, String name, float[] values, int from, int n) {
    Group list = row.addGroup(name);
    for (int i = 0; i < n; i++) {
      list.addGroup("list").append("element", values[from + i]);
    }
  }

  static void appendDoubles(Group row, String name, double[] values) {
    Group list = row.addGroup(name);
    for (double v : values) {
      list.addGroup("list").append("element", v);
    }
  }

  /** A (channels, 1, 1) nested list, LeRobot's shape for per-channel image statistics. */
  static void appendChannelDoubles(Group row, String name, double[] perChannel) {
    Group outer = row.addGroup(name);
    for (double v : perChannel) {
      Group mid = outer.addGroup("list").addGroup("element");
      Group inner = mid.addGroup("list").addGroup("element");
      inner.addGroup("list").append("element", v);
    }
  }
}
