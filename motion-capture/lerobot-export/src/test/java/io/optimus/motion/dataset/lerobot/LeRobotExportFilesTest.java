package io.optimus.motion.dataset.lerobot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.motion.dataset.lerobot.Recordings.Cam;
import io.optimus.proto.v1.EpisodeOutcome;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video file past its size limit is closed and the next episode starts the next file at timestamp 0
 * (which episode rolls over depends on how much the encoder still holds; the layout must be
 * consistent either way).
 */
class LeRobotExportFilesTest {
  @TempDir Path tmp;

  @Test
  void theNextEpisodeStartsANewVideoFileOnceOneIsOverTheLimit() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    RobotDescription robot = Recordings.robot("optimus", 3);
    Cam noisy = new Cam("head", 128, 128, true); // about 19 kB a frame at crf 0
    long wall0 = 1_750_000_000_000_000_000L;
    Recordings.record(src.resolve("a.mcap"), robot, "pick", 4.5, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, wall0, noisy);
    Recordings.record(src.resolve("b.mcap"), robot, "pick", 0.4, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, wall0, noisy);
    Recordings.record(src.resolve("c.mcap"), robot, "pick", 0.4, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, wall0, noisy);
    Recordings.record(src.resolve("d.mcap"), robot, "pick", 0.4, EpisodeOutcome.EPISODE_OUTCOME_SUCCESS, wall0, noisy);
    LeRobotExporter.Options o = new LeRobotExporter.Options(50, List.of(), null, false, 0, 100, 1);
    Path out = tmp.resolve("out");
    LeRobotExporter.export(src, out, o);
    Path first = out.resolve("videos/observation.images.head/chunk-000/file-000.mp4");
    Path second = out.resolve("videos/observation.images.head/chunk-000/file-001.mp4");
    assertTrue(Files.size(first) >= 1 << 20, "the first episode alone passes 1 MB: " + Files.size(first));
    assertTrue(Files.isRegularFile(second));
    assertEquals(1, com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
        .readTree(out.resolve("meta/info.json").toFile()).path("video_files_size_in_mb").asInt());
    if (ExternalReaders.unavailable().isPresent()) {
      return; // the layout above is checked; reading the tables back needs hyparquet and ffprobe
    }
    JsonNode eps = ExternalReaders.parquet(out.resolve("meta/episodes/chunk-000/file-000.parquet")).path("rows");
    String key = "videos/observation.images.head/";
    int[] framesInFile = new int[2];
    double end = 0;
    int file = 0;
    for (JsonNode ep : eps) {
      int f = ep.path(key + "file_index").asInt();
      assertTrue(f == file || f == file + 1, "files in order");
      if (f != file) {
        end = 0; // a new file starts at timestamp 0
      }
      file = f;
      assertEquals(end, ep.path(key + "from_timestamp").asDouble(), 1e-9, "episodes back to back");
      end = ep.path(key + "to_timestamp").asDouble();
      assertEquals(ep.path("length").asInt() / 50.0, end - ep.path(key + "from_timestamp").asDouble(), 1e-9);
      framesInFile[f] += ep.path("length").asInt();
    }
    assertEquals(1, file, "the last episodes went to the second file");
    assertEquals(framesInFile[0], ExternalReaders.frameTimes(first).size());
    assertEquals(framesInFile[1], ExternalReaders.frameTimes(second).size());
  }
}
