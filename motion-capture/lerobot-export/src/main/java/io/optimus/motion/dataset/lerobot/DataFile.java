package io.optimus.motion.dataset.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The per-frame table, data/chunk-CCC/file-FFF.parquet: observation.state and action as float32
 * lists, then timestamp (float32) and the int64 frame_index, episode_index, index, task_index.
 * A file takes whole episodes; the next episode starts a new file once this one passes the limit.
 */
final class DataFile implements AutoCloseable {
  private static final MessageType SCHEMA = new MessageType("schema",
      ParquetFiles.list(LeRobotLayout.STATE, Types.optional(PrimitiveTypeName.FLOAT).named("element")),
      ParquetFiles.list(LeRobotLayout.ACTION, Types.optional(PrimitiveTypeName.FLOAT).named("element")),
      ParquetFiles.float32("timestamp"),
      ParquetFiles.int64("frame_index"),
      ParquetFiles.int64("episode_index"),
      ParquetFiles.int64("index"),
      ParquetFiles.int64("task_index"));

  private final Path root;
  private final long limitBytes;
  private final SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
  private ParquetWriter<Group> writer;
  private int chunk;
  private int file;

  DataFile(Path root, int limitMb) {
    this.root = root;
    this.limitBytes = (long) limitMb << 20;
  }

  /** Opens the first file, or the next one if the current is over the size limit (call between episodes). */
  void roll() throws IOException {
    if (writer != null && writer.getDataSize() < limitBytes) {
      return;
    }
    if (writer != null) {
      writer.close();
      int[] next = LeRobotLayout.next(chunk, file);
      chunk = next[0];
      file = next[1];
    }
    Path p = root.resolve(LeRobotLayout.dataPath(chunk, file));
    Files.createDirectories(p.getParent());
    writer = ParquetFiles.writer(p, SCHEMA, Map.of());
  }

  /** (chunk, file) of the file rows go to now. */
  int[] position() {
    return new int[] {chunk, file};
  }

  void append(float[] state, float[] action, int offset, int joints, float timestamp, long frame, long episode,
      long index, long task) throws IOException {
    Group g = rows.newGroup();
    ParquetFiles.appendFloats(g, LeRobotLayout.STATE, state, offset, joints);
    ParquetFiles.appendFloats(g, LeRobotLayout.ACTION, action, offset, joints);
    g.append("timestamp", timestamp);
    g.append("frame_index", frame);
    g.append("episode_index", episode);
    g.append("index", index);
    g.append("task_index", task);
    writer.write(g);
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
