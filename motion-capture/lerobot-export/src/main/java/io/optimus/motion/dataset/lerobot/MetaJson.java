package io.optimus.motion.dataset.lerobot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.Json;
import java.util.List;
import java.util.Map;

/** meta/info.json and meta/stats.json, in LeRobot v3.0's layout. */
final class MetaJson {
  private MetaJson() {}

  /** meta/info.json. */
  static ObjectNode info(LeRobotExporter.Options o, String robotType, int episodeCount, long frames, int taskCount,
      List<String> jointNames, List<CameraSpec> cameras) {
    ObjectNode info = Json.MAPPER.createObjectNode();
    info.put("codebase_version", LeRobotLayout.CODEBASE_VERSION);
    info.put("robot_type", robotType);
    info.put("total_episodes", episodeCount);
    info.put("total_frames", frames);
    info.put("total_tasks", taskCount);
    info.put("chunks_size", LeRobotLayout.CHUNKS_SIZE);
    info.put("data_files_size_in_mb", o.dataFilesSizeInMb());
    info.put("video_files_size_in_mb", o.videoFilesSizeInMb());
    info.put("fps", o.fps());
    info.putObject("splits").put("train", "0:" + episodeCount);
    info.put("data_path", LeRobotLayout.DATA_PATH);
    info.put("video_path", cameras.isEmpty() ? null : LeRobotLayout.VIDEO_PATH);
    ObjectNode f = info.putObject("features");
    for (String key : List.of(LeRobotLayout.STATE, LeRobotLayout.ACTION)) {
      ObjectNode v = f.putObject(key);
      v.put("dtype", "float32");
      v.putArray("shape").add(jointNames.size());
      ArrayNode names = v.putArray("names");
      jointNames.forEach(names::add);
    }
    for (CameraSpec c : cameras) {
      ObjectNode v = f.putObject(c.key());
      v.put("dtype", "video");
      v.putArray("shape").add(c.height()).add(c.width()).add(3);
      v.putArray("names").add("height").add("width").add("channels");
      ObjectNode vi = v.putObject("info");
      vi.put("video.height", c.height());
      vi.put("video.width", c.width());
      vi.put("video.codec", "av1");
      vi.put("video.pix_fmt", "yuv420p");
      vi.put("video.is_depth_map", false);
      vi.put("video.fps", o.fps());
      vi.put("video.channels", 3);
      vi.put("has_audio", false);
    }
    for (String key : LeRobotLayout.DEFAULT_FEATURES) {
      ObjectNode v = f.putObject(key);
      v.put("dtype", key.equals("timestamp") ? "float32" : "int64");
      v.putArray("shape").add(1);
      v.putNull("names");
    }
    return info;
  }

  /** meta/stats.json: per feature min, max, mean, std, count and quantiles; images as (3, 1, 1). */
  static ObjectNode stats(Map<String, FeatureStats> total) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, FeatureStats> e : total.entrySet()) {
      ObjectNode s = root.putObject(e.getKey());
      boolean video = e.getKey().startsWith(LeRobotLayout.IMAGES_PREFIX);
      for (Map.Entry<String, double[]> v : e.getValue().vectors().entrySet()) {
        ArrayNode a = s.putArray(v.getKey());
        for (double x : v.getValue()) {
          if (video) {
            a.addArray().addArray().add(x); // (channels, 1, 1)
          } else {
            a.add(x);
          }
        }
      }
      s.putArray("count").add(e.getValue().count());
    }
    return root;
  }
}
