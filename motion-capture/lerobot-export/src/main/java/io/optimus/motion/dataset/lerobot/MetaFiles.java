package io.optimus.motion.dataset.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** meta/tasks.parquet and meta/episodes/chunk-000/file-000.parquet. */
final class MetaFiles {
  /**
   * LeRobot reads tasks.parquet with pandas and takes a task's string from the row's index
   * ({@code tasks.iloc[i].name}): this pandas metadata makes the "task" column that index, as
   * {@code DataFrame.to_parquet} of a frame indexed by task does.
   */
  static final String PANDAS_TASKS_METADATA = """
      {"index_columns": ["task"], "column_indexes": [{"name": null, "field_name": null, "pandas_type": "unicode", \
      "numpy_type": "object", "metadata": {"encoding": "UTF-8"}}], "columns": [{"name": "task_index", \
      "field_name": "task_index", "pandas_type": "int64", "numpy_type": "int64", "metadata": null}, \
      {"name": "task", "field_name": "task", "pandas_type": "unicode", "numpy_type": "object", "metadata": null}], \
      "creator": {"library": "optimus-teleop", "version": "1"}, "pandas_version": "2.2.3"}""";

  record VideoMeta(int chunk, int file, double from, double to) {}

  record EpisodeMeta(int index, String task, int length, int dataChunk, int dataFile, long from, long to,
      List<VideoMeta> videos, Map<String, FeatureStats> stats) {}

  private MetaFiles() {}

  static void writeTasks(Path root, List<String> tasks) throws IOException {
    MessageType schema = new MessageType("schema", ParquetFiles.int64("task_index"), ParquetFiles.string("task"));
    Path p = root.resolve(LeRobotLayout.TASKS);
    Files.createDirectories(p.getParent());
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ParquetFiles.writer(p, schema, Map.of("pandas", PANDAS_TASKS_METADATA))) {
      for (int i = 0; i < tasks.size(); i++) {
        w.write(f.newGroup().append("task_index", (long) i).append("task", tasks.get(i)));
      }
    }
  }

  /** One row per episode; {@code videoKeys} in the order of each row's {@code videos}. */
  static void writeEpisodes(Path root, List<EpisodeMeta> episodes, List<String> videoKeys) throws IOException {
    List<Type> fields = new ArrayList<>();
    fields.add(ParquetFiles.int64("episode_index"));
    fields.add(ParquetFiles.list("tasks", Types.optional(PrimitiveTypeName.BINARY)
        .as(org.apache.parquet.schema.LogicalTypeAnnotation.stringType()).named("element")));
    fields.add(ParquetFiles.int64("length"));
    fields.add(ParquetFiles.int64("data/chunk_index"));
    fields.add(ParquetFiles.int64("data/file_index"));
    fields.add(ParquetFiles.int64("dataset_from_index"));
    fields.add(ParquetFiles.int64("dataset_to_index"));
    for (String key : videoKeys) {
      fields.add(ParquetFiles.int64("videos/" + key + "/chunk_index"));
      fields.add(ParquetFiles.int64("videos/" + key + "/file_index"));
      fields.add(ParquetFiles.float64("videos/" + key + "/from_timestamp"));
      fields.add(ParquetFiles.float64("videos/" + key + "/to_timestamp"));
    }
    Map<String, FeatureStats> firstStats = episodes.get(0).stats();
    for (Map.Entry<String, FeatureStats> s : firstStats.entrySet()) {
      boolean video = videoKeys.contains(s.getKey());
      for (String stat : s.getValue().vectors().keySet()) {
        Type element = Types.optional(PrimitiveTypeName.DOUBLE).named("element");
        if (video) {
          element = ParquetFiles.list("element", ParquetFiles.list("element", element));
        }
        fields.add(ParquetFiles.list("stats/" + s.getKey() + "/" + stat, element));
      }
      fields.add(ParquetFiles.list("stats/" + s.getKey() + "/count",
          Types.optional(PrimitiveTypeName.INT64).named("element")));
    }
    fields.add(ParquetFiles.int64("meta/episodes/chunk_index"));
    fields.add(ParquetFiles.int64("meta/episodes/file_index"));
    MessageType schema = new MessageType("schema", fields);
    Path p = root.resolve(LeRobotLayout.EPISODES);
    Files.createDirectories(p.getParent());
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ParquetFiles.writer(p, schema, Map.of())) {
      for (EpisodeMeta e : episodes) {
        Group g = f.newGroup();
        g.append("episode_index", (long) e.index());
        g.addGroup("tasks").addGroup("list").append("element", e.task());
        g.append("length", (long) e.length());
        g.append("data/chunk_index", (long) e.dataChunk());
        g.append("data/file_index", (long) e.dataFile());
        g.append("dataset_from_index", e.from());
        g.append("dataset_to_index", e.to());
        for (int c = 0; c < videoKeys.size(); c++) {
          String key = videoKeys.get(c);
          VideoMeta v = e.videos().get(c);
          g.append("videos/" + key + "/chunk_index", (long) v.chunk());
          g.append("videos/" + key + "/file_index", (long) v.file());
          g.append("videos/" + key + "/from_timestamp", v.from());
          g.append("videos/" + key + "/to_timestamp", v.to());
        }
        for (Map.Entry<String, FeatureStats> s : e.stats().entrySet()) {
          boolean video = videoKeys.contains(s.getKey());
          for (Map.Entry<String, double[]> v : s.getValue().vectors().entrySet()) {
            String name = "stats/" + s.getKey() + "/" + v.getKey();
            if (video) {
              ParquetFiles.appendChannelDoubles(g, name, v.getValue());
            } else {
              ParquetFiles.appendDoubles(g, name, v.getValue());
            }
          }
          g.addGroup("stats/" + s.getKey() + "/count").addGroup("list").append("element", s.getValue().count());
        }
        g.append("meta/episodes/chunk_index", 0L);
        g.append("meta/episodes/file_index", 0L);
        w.write(g);
      }
    }
  }
}
