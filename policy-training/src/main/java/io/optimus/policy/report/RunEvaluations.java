package io.optimus.policy.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The closed-loop evaluations of a run, kept in its directory ({@code evaluations.jsonl}, one JSON
 * object per line, appended), so its report shows success per evaluation.
 */
public final class RunEvaluations {
  /** At most this many evaluations are read back: a report stays small whatever the file holds. */
  public static final int MAX = 1000;
  /** A larger file is refused rather than read (a line is about 200 bytes). */
  public static final long MAX_BYTES = 16L << 20;

  /**
   * One evaluation.
   *
   * @param time when it finished (ISO-8601 UTC)
   */
  public record Evaluation(String time, String task, String world, String robot, int episodes, int successes,
      double successRate, long seed, double timeoutS) {}

  private RunEvaluations() {}

  public static void append(RunFiles files, Evaluation e) throws IOException {
    String line = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(e) + "\n";
    Files.writeString(files.evaluations(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The run's evaluations, oldest first (the last {@value #MAX}); none when it has no file. */
  public static List<Evaluation> read(RunFiles files) {
    if (!Files.isRegularFile(files.evaluations())) {
      return List.of();
    }
    try {
      if (Files.size(files.evaluations()) > MAX_BYTES) {
        throw new InputException("evaluations " + files.evaluations() + ": larger than " + (MAX_BYTES >> 20) + " MB");
      }
    } catch (IOException e) {
      throw new InputException("evaluations " + files.evaluations() + ": unreadable: " + e.getMessage(), e);
    }
    ObjectReader reader = Json.MAPPER.readerFor(Evaluation.class).with(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<Evaluation> out = new ArrayList<>();
    try (var lines = Files.lines(files.evaluations(), StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line : (Iterable<String>) lines::iterator) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(reader.readValue(line));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          throw new InputException("evaluations " + files.evaluations() + " line " + n + ": not an evaluation: "
              + e.getOriginalMessage());
        }
        if (out.size() > MAX) {
          out.remove(0);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new InputException("evaluations " + files.evaluations() + ": unreadable: " + e.getMessage(), e);
    }
    return out;
  }
}
