package io.optimus.perception.report;

import com.fasterxml.jackson.core.JsonParser;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's plotted numbers, written as JSON beside the PNG so every point can be checked; a
 * non-finite value is written as the string "NaN" or "Infinity".
 *
 * @param x what the x axis counts ("step")
 * @param y what the values are ("loss")
 */
public record Curves(String x, String y, List<Curve> curves) {
  public void write(Path json) throws IOException {
    Files.writeString(json, Json.write(this));
  }

  public static Curves read(Path json) {
    try {
      return Json.MAPPER.reader().with(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS).readValue(json.toFile(),
          Curves.class);
    } catch (IOException e) {
      throw new InputException("curves " + json + ": unreadable: " + e.getMessage(), e);
    }
  }

  /** The curves of one head, in order. */
  public List<Curve> of(String head) {
    return curves.stream().filter(c -> c.head().equals(head)).toList();
  }

  /** The curve of {@code head} on {@code split}, or null. */
  public Curve get(String head, String split) {
    return curves.stream().filter(c -> c.head().equals(head) && c.split().equals(split)).findFirst().orElse(null);
  }
}
