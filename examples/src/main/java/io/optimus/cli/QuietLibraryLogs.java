package io.optimus.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Library logging for commands that print their own report (every {@code bench} command): the bridge a
 * bench starts logs each safety clamp it applies as a WARN line (a mocap stream against the limits: dozens),
 * which would bury the figures. Those libraries log errors only there. slf4j-simple reads a logger's
 * level when the logger is made, so this runs before the command does; explicit {@code -D} settings win.
 */
public final class QuietLibraryLogs {
  /** Logger -> level while a bench runs. */
  static final Map<String, String> BENCH = Map.of("io.optimus", "error", "ai.djl", "error",
      "com.hivemq", "error", "org.eclipse.paho", "error");

  private QuietLibraryLogs() {}

  /** Sets {@code levels} unless a level was given explicitly ({@code -Dorg.slf4j.simpleLogger.log.NAME}). */
  public static void apply(Map<String, String> levels) {
    levels.forEach((logger, level) -> {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, level);
      }
    });
  }

  /** Whether the parsed command line runs a subcommand of {@code bench}. */
  static boolean isBench(CommandLine.ParseResult parsed) {
    List<CommandLine> chain = parsed.asCommandLineList();
    return chain.size() > 1 && chain.get(1).getCommandName().equals("bench");
  }

  /** The root's execution strategy: benches run with {@link #BENCH}, every command as picocli runs it. */
  static int execute(CommandLine.ParseResult parsed) {
    if (isBench(parsed)) {
      apply(BENCH);
    }
    return new CommandLine.RunLast().execute(parsed);
  }
}
