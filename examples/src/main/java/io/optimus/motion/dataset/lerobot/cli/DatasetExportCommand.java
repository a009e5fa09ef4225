package io.optimus.motion.dataset.lerobot.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.dataset.lerobot.LeRobotExporter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optimus dataset export --format lerobot DIR OUT}: a LeRobot v3.0 dataset from recorded episodes. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export recorded episodes as a LeRobot v3.0 dataset (LeRobot 0.6 loads it with "
        + "LeRobotDataset(repo_id, root=OUT)).",
        "Resampling: frame k, at k/fps s, holds the latest /state and the latest frame of each camera stamped at or "
            + "before it (sample-and-hold, nothing interpolated); observation.state is the measured joint "
            + "positions, action the commanded ones.",
        "Episodes marked FAILURE or DISCARD are left out unless --include-failed. OUT must not exist: the export "
            + "is written beside it and renamed at the end."})
public final class DatasetExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--format", required = true, paramLabel = "lerobot", description = "Output format: lerobot (v3.0).")
  String format;

  @Parameters(index = "0", paramLabel = "DIR", description = "Dataset directory (episode *.mcap files).")
  Path dir;

  @Parameters(index = "1", paramLabel = "OUT", description = "New directory to write (must not exist).")
  Path out;

  @Option(names = "--fps", defaultValue = "50", description = "Frames per second of the export (default ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--cameras", split = ",", paramLabel = "NAME",
      description = "Cameras to export, comma-separated (default: every camera the episodes have).")
  List<String> cameras;

  @Option(names = "--task", description = "Task text for every episode (default: each episode's recorded task).")
  String task;

  @Option(names = "--include-failed", description = "Also export episodes marked FAILURE or DISCARD.")
  boolean includeFailed;

  @Option(names = "--crf", defaultValue = "30",
      description = "AV1 quality, 0 (best) to 63 (default ${DEFAULT-VALUE}, LeRobot's own).")
  int crf;

  @Override
  public Integer call() throws Exception {
    quietLibraryLogs();
    if (!format.equalsIgnoreCase("lerobot")) {
      throw new InputException("--format " + format + ": unknown (supported: lerobot)");
    }
    LeRobotExporter.Options o = LeRobotExporter.Options.defaults().withFps(fps)
        .withCameras(cameras == null ? List.of() : cameras).withTask(task).withIncludeFailed(includeFailed).withCrf(crf);
    System.err.println("exporting " + dir + " to " + out + " (LeRobot v3.0, " + fps + " fps) ...");
    LeRobotExporter.Report r = LeRobotExporter.export(dir, out, o);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("out", r.out().toString());
    m.put("format", "lerobot v3.0");
    m.put("fps", fps);
    m.put("episodes", r.episodes());
    m.put("frames", r.frames());
    m.put("tasks", r.tasks());
    m.put("cameras", r.cameras());
    m.put("left_out", r.skipped());
    m.put("recorded_s", Math.round(r.recordedSeconds() * 1000) / 1000.0);
    m.put("bytes", r.bytes());
    spec.commandLine().getOut().println(Json.write(m));
    return 0;
  }

  /** Hadoop's codec pool announces every compressor at INFO; the CLI prints only its own report. */
  static void quietLibraryLogs() {
    for (String logger : new String[] {"org.apache.hadoop", "org.apache.parquet"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }
}
