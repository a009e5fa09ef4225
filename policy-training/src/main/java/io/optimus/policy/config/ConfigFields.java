package io.optimus.policy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;

/**
 * Typed reading of a flat JSON config object: each getter returns the field's value, or the given
 * default when the field is absent, and refuses a value of the wrong type (a string where a number
 * belongs, a fraction where an integer belongs, an integer beyond its range) with a one-line
 * {@link InputException} naming the source and the field. Values are checked for meaning by the
 * config records themselves ({@link #require}).
 */
public final class ConfigFields {
  private final JsonNode node;
  private final String source;

  private ConfigFields(JsonNode node, String source) {
    this.node = node;
    this.source = source;
  }

  /** The object of a JSON config file ({@code what} names the kind of file in messages). */
  public static ConfigFields read(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(what + " " + file + ": no such file");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException(what + " " + file + ": not valid JSON: " + oneLine(e), e);
    }
    return of(node, what + " " + file);
  }

  public static ConfigFields of(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new InputException(source + ": must be a JSON object");
    }
    return new ConfigFields(node, source);
  }

  public String source() {
    return source;
  }

  public boolean has(String field) {
    return node.has(field);
  }

  /** Refuses any field not in {@code known} (a misspelt field would silently take its default). */
  public void requireOnly(Collection<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InputException(source + ": unknown field \"" + f + "\"");
      }
    }
  }

  public String string(String field, String dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw wrongType(field, v, "a string");
    }
    return v.asText();
  }

  public int integer(String field, int dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrongType(field, v, "an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
    }
    return v.intValue();
  }

  public long longInteger(String field, long dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrongType(field, v, "a 64-bit integer");
    }
    return v.longValue();
  }

  /** A finite number (JSON has no NaN; one too large for a double is refused, not read as infinity). */
  public double number(String field, double dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw wrongType(field, v, "a finite number");
    }
    return v.doubleValue();
  }

  /** A non-empty array of strings. */
  public java.util.List<String> strings(String field, java.util.List<String> dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw wrongType(field, v, "a non-empty array of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw wrongType(field, v, "a non-empty array of strings");
      }
      out.add(e.asText());
    }
    return java.util.List.copyOf(out);
  }

  public boolean bool(String field, boolean dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw wrongType(field, v, "true or false");
    }
    return v.booleanValue();
  }

  /**
   * Runs {@code build} (a config record's constructor, which checks its values with {@link #require})
   * and names this source in what it refuses.
   */
  public <T> T build(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidField e) {
      throw new InputException(source + ": " + e.detail(), e);
    }
  }

  /** A config record's check of one value; {@link #build} names the file in the message. */
  public static void require(boolean ok, String field, Object value, String problem) {
    if (!ok) {
      throw new InvalidField(field + " = " + value + " " + problem);
    }
  }

  /** A config value out of its range: a user's input is wrong. */
  public static final class InvalidField extends InputException {
    private static final long serialVersionUID = 1L;
    private final String detail;

    InvalidField(String detail) {
      super("policy config: " + detail);
      this.detail = detail;
    }

    String detail() {
      return detail;
    }
  }

  private InputException wrongType(String field, JsonNode v, String expected) {
    String shown = v.toString();
    if (shown.length() > 40) {
      shown = shown.substring(0, 37) + "...";
    }
    return new InputException(source + ": field " + field + " must be " + expected + ", got " + shown);
  }

  private static String oneLine(IOException e) {
    String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return m == null ? e.toString() : m.lines().findFirst().orElse(m);
  }
}
