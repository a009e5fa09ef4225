package io.optimus.motion.record.cli;

import io.optimus.cli.GroupCommand;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.record.Dataset;
import io.optimus.motion.record.DatasetInfo;
import io.optimus.motion.record.DatasetValidation;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.McapRecovery;
import io.optimus.motion.record.mcap.McapValidation;
import io.optimus.motion.record.mcap.McapValidator;
import io.optimus.motion.record.mcap.McapWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optimus dataset}: info, validate and recover recorded episodes (MCAP files). */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = "Recorded episodes: info, validate, recover.",
    subcommands = {DatasetCommand.Info.class, DatasetCommand.Validate.class, DatasetCommand.Recover.class})
public final class DatasetCommand extends GroupCommand {

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = {"Print a dataset's summary as JSON.",
          "Episodes, frames, duration, joints, cameras, outcomes, frame-rate statistics, gaps and drops;",
          "stale or new episodes are (re)indexed into DIR/dataset.json."})
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Dataset directory (episode *.mcap files).")
    Path dir;

    @Option(names = "--brief", description = "Leave out the per-episode rows.")
    boolean brief;

    @Override
    public Integer call() throws Exception {
      DatasetInfo info = Dataset.open(dir).info();
      Object out = info;
      if (brief) {
        Map<String, Object> m = Json.MAPPER.convertValue(info, Json.MAPPER.getTypeFactory()
            .constructMapType(LinkedHashMap.class, String.class, Object.class));
        m.remove("episodeList");
        out = m;
      }
      spec.commandLine().getOut().println(Json.write(out));
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = {"Check every episode; exit code 1 on any corruption.",
          "Checks every byte of every episode in DIR (or one FILE): record framing, chunk, data and summary CRCs,",
          "indexes, joint-state array sizes. The report names the file and byte offset of each problem."})
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR|FILE", description = "Dataset directory or one episode file.")
    Path path;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.exists(path)) {
        throw new InputException(path + ": " + (Files.notExists(path) ? "no such file or directory" : "permission denied"));
      }
      if (!Files.isDirectory(path)) {
        McapValidation v = McapValidator.validate(path);
        out.println((v.ok() ? "OK      " : "CORRUPT ") + path + " (" + v.messages() + " messages, " + v.chunks()
            + " chunks" + (v.complete() ? "" : ", unfinished") + ")");
        v.problems().forEach(p -> out.println("  " + p));
        out.println(v.ok() ? "valid" : v.problems().size() + " problem(s)");
        return v.ok() ? 0 : 1;
      }
      Dataset d = Dataset.open(path);
      System.err.println("validating " + d.episodes().size() + " episodes in " + path + " ...");
      DatasetValidation v = d.validate();
      for (DatasetValidation.FileReport f : v.files()) {
        out.println((f.ok() ? "OK      " : "CORRUPT ") + f.file() + " (" + f.messages() + " messages, " + f.chunks()
            + " chunks)");
        f.problems().forEach(p -> out.println("  " + p));
      }
      v.indexProblems().forEach(p -> out.println("INDEX   " + p));
      long bad = v.files().stream().filter(f -> !f.ok()).count();
      out.println(v.ok() ? "valid: " + v.files().size() + " episodes"
          : v.problemCount() + " problem(s) in " + bad + " of " + v.files().size() + " episodes"
              + (v.indexProblems().isEmpty() ? "" : " and the index"));
      return v.ok() ? 0 : 1;
    }
  }

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = {"Rebuild an unfinished episode (writer killed, disk full, file cut).",
          "Keeps every chunk that still decodes (skipping corrupt ones, resyncing after damaged framing)",
          "and writes a fresh summary and index.",
          "In place by default: the original is kept as FILE.unfinished. Prints a JSON report."})
  static final class Recover implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The episode file.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the recovered file here instead (must not exist).")
    Path output;

    @Option(names = "--force", description = "Rewrite even a file that is already complete.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(file)) {
        McapReader.open(file).close(); // throws naming the reason: missing, permission denied, not a file
        throw new InputException(file + ": not a regular file");
      }
      if (!force) {
        McapValidation v = McapValidator.validate(file); // complete is not enough: every chunk must decode
        if (v.ok()) {
          spec.commandLine().getOut().println(Json.write(Map.of("file", file.toString(), "complete", true,
              "messages", v.messages(),
              "note", "the file is complete; nothing to recover (use --force to rewrite it)")));
          return 0;
        }
        System.err.println("recovering " + file + ": " + v.problems().get(0)
            + (v.problems().size() > 1 ? " (and " + (v.problems().size() - 1) + " more problems)" : ""));
      }
      if (output != null && Files.exists(output)) {
        throw new InputException(output + ": already exists");
      }
      Path target = output != null ? output : file.resolveSibling(stem(file) + ".recovered.mcap");
      if (output == null) {
        Files.deleteIfExists(target); // left over from an interrupted earlier attempt
      }
      McapRecovery.Report rep = McapRecovery.recover(file, target, McapWriter.Options.defaults());
      Path keptAs = null;
      if (output == null) {
        keptAs = file.resolveSibling(file.getFileName() + ".unfinished");
        for (int i = 2; Files.exists(keptAs); i++) {
          keptAs = file.resolveSibling(file.getFileName() + ".unfinished." + i);
        }
        Files.move(file, keptAs);
        Files.move(target, file);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("file", (output == null ? file : target).toString());
      out.put("original", (keptAs == null ? file : keptAs).toString());
      out.put("messages", rep.messages());
      out.put("chunks", rep.chunks());
      out.put("source_bytes", rep.sourceBytes());
      out.put("recovered_bytes", rep.recoveredBytes());
      out.put("stopped_at_byte", rep.stoppedAt());
      out.put("reason", rep.stopReason());
      out.put("skipped", rep.skipped());
      spec.commandLine().getOut().println(Json.write(out));
      Path parent = (output == null ? file : target).toAbsolutePath().getParent();
      if (parent != null && Files.exists(parent.resolve(Dataset.INDEX_FILE))) {
        Dataset.refreshIndex(parent);
      }
      return 0;
    }

    private static String stem(Path p) {
      String n = p.getFileName().toString();
      return n.endsWith(".mcap") ? n.substring(0, n.length() - 5) : n;
    }
  }
}
