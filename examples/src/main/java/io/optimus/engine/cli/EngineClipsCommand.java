package io.optimus.engine.cli;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.clips.Clip;
import io.optimus.motion.clips.ClipQueue;
import io.optimus.motion.clips.ClipState;
import io.optimus.motion.clips.ClipTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optimus engine clips DIR [accept|reject|relabel ID ...]}: the clip queue of a dataset. */
@Command(name = "clips", mixinStandardHelpOptions = true,
    description = {"List the clips triggers cut into dataset DIR's queue (DIR/clips.jsonl) as JSON, or review them:",
        "  optimus engine clips DIR                     list (--state, --trigger filter)",
        "  optimus engine clips DIR accept ID...        keep them for training",
        "  optimus engine clips DIR reject ID...        drop them",
        "  optimus engine clips DIR relabel ID LABEL    name what the clip teaches"})
public final class EngineClipsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The dataset directory (where the bridge records).")
  Path dir;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ACTION", description = "accept, reject or relabel.")
  String action;

  @Parameters(index = "2..*", arity = "0..*", paramLabel = "ARG", description = "Clip ids (relabel: ID LABEL).")
  List<String> args = new ArrayList<>();

  @Option(names = "--state", paramLabel = "STATE", description = "List only clips in this state: pending, accepted, rejected.")
  String state;

  @Option(names = "--trigger", paramLabel = "TRIGGER",
      description = "List only clips of this trigger: disagreement, uncertainty, safety, takeover, task_failure.")
  String trigger;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      throw new InputException(dir + ": no such dataset directory");
    }
    ClipQueue q = ClipQueue.in(dir);
    Object out;
    if (action == null) {
      out = list(q);
    } else {
      out = switch (action) {
        case "accept" -> Map.of("changed", q.setState(args, ClipState.ACCEPTED));
        case "reject" -> Map.of("changed", q.setState(args, ClipState.REJECTED));
        case "relabel" -> {
          if (args.size() != 2) {
            throw new InputException("relabel takes a clip id and a label, got " + args.size() + " arguments");
          }
          yield Map.of("changed", List.of(q.relabel(args.get(0), args.get(1))));
        }
        default -> throw new InputException("action '" + action + "' is unknown: use accept, reject or relabel");
      };
    }
    spec.commandLine().getOut().println(Json.write(out));
    return 0;
  }

  private Map<String, Object> list(ClipQueue q) {
    ClipState s = state == null ? null : ClipState.parse(state);
    if (state != null && s == null) {
      throw new InputException("--state '" + state + "' is unknown: use pending, accepted or rejected");
    }
    ClipTrigger t = trigger == null ? null : ClipTrigger.parse(trigger);
    if (trigger != null && t == null) {
      throw new InputException("--trigger '" + trigger + "' is unknown: use disagreement, uncertainty, safety,"
          + " takeover or task_failure");
    }
    if (action == null && !args.isEmpty()) {
      throw new InputException("unexpected arguments " + args);
    }
    List<Clip> all = q.list();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ClipState c : ClipState.values()) {
      counts.put(c.id(), all.stream().filter(x -> x.state() == c).count());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queue", q.file().toString());
    out.put("counts", counts);
    out.put("clips", all.stream().filter(c -> (s == null || c.state() == s) && (t == null || c.trigger() == t)).toList());
    return out;
  }
}
