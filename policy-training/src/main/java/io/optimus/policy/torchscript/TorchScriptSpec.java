package io.optimus.policy.torchscript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The contract of an imported TorchScript policy (spec.json; docs/torchscript-policies.md): the
 * model's positional inputs (observation.state and at most one head-camera image, each given to the
 * model with a leading batch dimension of 1), its output (an action chunk [T, A]), joint names,
 * LeRobot-style normalization (modes per feature and stats.json statistics), the policy rate and how
 * chunks are executed. Parsing refuses anything that would misread an observation, with one line
 * naming the file and the field.
 */
public record TorchScriptSpec(int stateSize, List<String> stateNames, Image image, int chunk, List<String> actionNames,
    Normalization state, Normalization imageNorm, Normalization action, double fps, int actionSteps,
    double ensembleDecay) {
  public static final String STATE = "observation.state";
  public static final String IMAGE_PREFIX = "observation.images.";
  public static final String ACTION = "action";
  /** The one camera this runtime feeds a policy (the robot's head camera). */
  public static final String HEAD = "head";
  /** spec.json is a few kilobytes even with 100 joints; anything this big is not a spec. */
  public static final long MAX_BYTES = 1 << 20;
  /** LeRobot's epsilon in its normalization (mean/std and min/max). */
  static final float EPS = 1e-8f;

  /** A camera image input: [3, H, W], float32 in [0, 1] or uint8 in [0, 255]. */
  public record Image(String camera, int height, int width, boolean uint8) {
    public String key() {
      return IMAGE_PREFIX + camera;
    }
  }

  /** LeRobot's NormalizationMode. */
  public enum Mode { MEAN_STD, MIN_MAX, IDENTITY }

  /** How one feature is (un)normalized; {@code a}/{@code b} are mean/std or min/max per element or channel. */
  public record Normalization(Mode mode, float[] a, float[] b) {
    /** Raw to normalized, element i of a feature whose statistics have {@code a.length} entries. */
    public float normalize(float x, int i) {
      return switch (mode) {
        case MEAN_STD -> (x - a[i]) / (b[i] + EPS);
        case MIN_MAX -> (x - a[i]) / (b[i] - a[i] + EPS) * 2f - 1f;
        case IDENTITY -> x;
      };
    }

    /** Normalized back to raw. */
    public float unnormalize(float y, int i) {
      return switch (mode) {
        case MEAN_STD -> y * b[i] + a[i];
        case MIN_MAX -> (y + 1f) / 2f * (b[i] - a[i]) + a[i];
        case IDENTITY -> y;
      };
    }
  }

  public boolean hasImage() {
    return image != null;
  }

  /** Reads and checks spec.json; {@code stats.json} named by the spec is read relative to it. */
  public static TorchScriptSpec load(Path file) {
    return parse(readTree(file), file);
  }

  static JsonNode readTree(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("spec " + file + ": no such file");
    }
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InputException("spec " + file + ": " + size + " bytes is over the " + MAX_BYTES + "-byte limit of a spec");
      }
      try (InputStream in = Files.newInputStream(file)) {
        // NaN as Python's json writes it reads as a number, so the check below names the field
        JsonNode n = Json.MAPPER.reader().with(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .readTree(in.readNBytes((int) MAX_BYTES + 1));
        if (n == null || !n.isObject()) {
          throw new InputException("spec " + file + ": not a JSON object");
        }
        return n;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InputException("spec " + file + ": not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new InputException("spec " + file + ": cannot read: " + e.getMessage());
    }
  }

  static TorchScriptSpec parse(JsonNode root, Path file) {
    Reader r = new Reader(file);
    JsonNode inputs = r.array(root, "inputs");
    if (inputs.size() < 1 || inputs.size() > 2) {
      throw r.fail("inputs", "has " + inputs.size() + " entries: give " + STATE + " first and at most one camera image");
    }
    JsonNode stateNode = inputs.get(0);
    String stateName = r.text(stateNode, "inputs[0].name");
    if (!stateName.equals(STATE)) {
      throw r.fail("inputs[0].name", "is '" + stateName + "': the first input must be " + STATE);
    }
    r.dtype(stateNode, "inputs[0]", false);
    int[] stateShape = r.shape(stateNode, "inputs[0].shape", 1);
    List<String> stateNames = r.names(stateNode, "inputs[0].names", stateShape[0]);
    Image image = null;
    if (inputs.size() == 2) {
      JsonNode im = inputs.get(1);
      String key = r.text(im, "inputs[1].name");
      if (!key.startsWith(IMAGE_PREFIX) || key.length() == IMAGE_PREFIX.length()) {
        throw r.fail("inputs[1].name", "is '" + key + "': a camera input is named " + IMAGE_PREFIX + "<camera>");
      }
      String camera = key.substring(IMAGE_PREFIX.length());
      if (!camera.equals(HEAD)) {
        throw r.fail("inputs[1].name", "is '" + key + "': this runtime feeds only the head camera (" + IMAGE_PREFIX + HEAD + ")");
      }
      boolean uint8 = r.dtype(im, "inputs[1]", true);
      int[] s = r.shape(im, "inputs[1].shape", 3);
      if (s[0] != 3) {
        throw r.fail("inputs[1].shape", "is " + java.util.Arrays.toString(s) + ": an image is [3, H, W] (channels first, RGB)");
      }
      if (s[1] > 4096 || s[2] > 4096) {
        throw r.fail("inputs[1].shape", "is " + java.util.Arrays.toString(s) + ": images are at most 4096 pixels a side");
      }
      image = new Image(camera, s[1], s[2], uint8);
    }
    JsonNode out = r.object(root, "output");
    String outName = r.text(out, "output.name");
    if (!outName.equals(ACTION)) {
      throw r.fail("output.name", "is '" + outName + "': the output is " + ACTION);
    }
    r.dtype(out, "output", false);
    int[] outShape = r.shape(out, "output.shape", 2);
    if (outShape[0] > 200) {
      throw r.fail("output.shape", "chunk of " + outShape[0] + " actions is over the 200 this runtime executes");
    }
    List<String> actionNames = r.names(out, "output.names", outShape[1]);
    if (!actionNames.equals(stateNames)) {
      throw r.fail("output.names", "differ from inputs[0].names: this runtime reads and commands the same joints, in the same order");
    }
    JsonNode modes = r.object(root, "normalization");
    JsonNode stats = stats(root, r, file);
    Normalization sn = r.normalization(modes, stats, STATE, stateShape[0]);
    Normalization in = image == null ? null : r.normalization(modes, stats, image.key(), 3);
    if (image != null && image.uint8() && in.mode() != Mode.IDENTITY) {
      throw r.fail("normalization." + image.key(), "is " + in.mode() + ": a uint8 image goes to the model as it is (IDENTITY);"
          + " give float32 to have it normalized here");
    }
    Normalization an = r.normalization(modes, stats, ACTION, outShape[1]);
    for (var it = modes.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals(STATE) && !k.equals(ACTION) && (image == null || !k.equals(image.key()))) {
        throw r.fail("normalization." + k, "names no input or output of the model");
      }
    }
    double fps = r.number(root, "fps");
    if (!(fps > 0 && fps <= 1000)) {
      throw r.fail("fps", "= " + fps + " is not in (0, 1000]");
    }
    JsonNode exec = root.get("execution");
    int steps = 0;
    double decay = -0.05;
    if (exec != null) {
      if (!exec.isObject()) {
        throw r.fail("execution", "is not an object");
      }
      boolean hasSteps = exec.has("n_action_steps");
      boolean hasDecay = exec.has("temporal_ensemble_decay");
      if (hasSteps == hasDecay) {
        throw r.fail("execution", "names one of n_action_steps or temporal_ensemble_decay");
      }
      if (hasSteps) {
        double n = r.number(exec, "n_action_steps");
        if (n != Math.rint(n) || n < 1 || n > outShape[0]) {
          throw r.fail("execution.n_action_steps", "= " + n + " is not a whole number in [1, " + outShape[0] + "]");
        }
        steps = (int) n;
      } else {
        decay = r.number(exec, "temporal_ensemble_decay");
        if (!(Math.abs(decay) <= 10)) {
          throw r.fail("execution.temporal_ensemble_decay", "= " + decay + " is not in [-10, 10]");
        }
      }
    }
    return new TorchScriptSpec(stateShape[0], stateNames, image, outShape[0], actionNames, sn, in, an, fps, steps, decay);
  }

  /** Statistics inline ({@code "stats": {...}}) or in a LeRobot stats.json next to the spec ({@code "stats": "stats.json"}). */
  private static JsonNode stats(JsonNode root, Reader r, Path file) {
    JsonNode s = root.get("stats");
    if (s == null || s.isNull()) {
      return null;
    }
    if (s.isTextual()) {
      Path p = (file.getParent() == null ? Path.of(".") : file.getParent()).resolve(s.asText());
      JsonNode t = readTree(p);
      return t;
    }
    if (!s.isObject()) {
      throw r.fail("stats", "is neither statistics nor the name of a stats.json");
    }
    return s;
  }

  /** The spec with its statistics inline, as the run directory keeps it (self-contained). */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", TorchScriptRun.FORMAT);
    ArrayNode inputs = root.putArray("inputs");
    ObjectNode st = inputs.addObject();
    st.put("name", STATE).put("dtype", "float32");
    st.putArray("shape").add(stateSize);
    stateNames.forEach(st.withArray("names")::add);
    if (image != null) {
      ObjectNode im = inputs.addObject();
      im.put("name", image.key()).put("dtype", image.uint8() ? "uint8" : "float32");
      im.putArray("shape").add(3).add(image.height()).add(image.width());
    }
    ObjectNode out = root.putObject("output");
    out.put("name", ACTION).put("dtype", "float32");
    out.putArray("shape").add(chunk).add(actionNames.size());
    actionNames.forEach(out.withArray("names")::add);
    ObjectNode modes = root.putObject("normalization");
    ObjectNode stats = root.putObject("stats");
    put(modes, stats, STATE, state);
    if (image != null) {
      put(modes, stats, image.key(), imageNorm);
    }
    put(modes, stats, ACTION, action);
    root.put("fps", fps);
    ObjectNode exec = root.putObject("execution");
    if (actionSteps > 0) {
      exec.put("n_action_steps", actionSteps);
    } else {
      exec.put("temporal_ensemble_decay", ensembleDecay);
    }
    return root;
  }

  private static void put(ObjectNode modes, ObjectNode stats, String key, Normalization n) {
    modes.put(key, n.mode().name());
    if (n.mode() == Mode.IDENTITY) {
      return;
    }
    ObjectNode s = stats.putObject(key);
    String[] names = n.mode() == Mode.MEAN_STD ? new String[] {"mean", "std"} : new String[] {"min", "max"};
    ArrayNode a = s.putArray(names[0]);
    ArrayNode b = s.putArray(names[1]);
    for (int i = 0; i < n.a().length; i++) {
      a.add(n.a()[i]);
      b.add(n.b()[i]);
    }
  }

  /** Field access with one-line errors naming the file and the field. */
  private record Reader(Path file) {
    InputException fail(String field, String problem) {
      return new InputException("spec " + file + ": " + field + " " + problem);
    }

    JsonNode get(JsonNode n, String field, String path) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        throw fail(path, "is missing");
      }
      return v;
    }

    JsonNode array(JsonNode n, String field) {
      JsonNode v = get(n, field, field);
      if (!v.isArray()) {
        throw fail(field, "is not an array");
      }
      return v;
    }

    JsonNode object(JsonNode n, String field) {
      JsonNode v = get(n, field, field);
      if (!v.isObject()) {
        throw fail(field, "is not an object");
      }
      return v;
    }

    String text(JsonNode n, String path) {
      JsonNode v = get(n, path.substring(path.lastIndexOf('.') + 1), path);
      if (!v.isTextual()) {
        throw fail(path, "is not a string");
      }
      return v.asText();
    }

    double number(JsonNode n, String field) {
      JsonNode v = get(n, field, field);
      if (!v.isNumber()) {
        throw fail(field, "is not a number");
      }
      return v.asDouble();
    }

    /** True for uint8 (allowed only where {@code uint8Ok}). */
    boolean dtype(JsonNode n, String path, boolean uint8Ok) {
      String d = text(n, path + ".dtype").toLowerCase(Locale.ROOT);
      if (d.equals("float32")) {
        return false;
      }
      if (uint8Ok && d.equals("uint8")) {
        return true;
      }
      throw fail(path + ".dtype", "is '" + d + "': must be float32" + (uint8Ok ? " or uint8" : ""));
    }

    int[] shape(JsonNode n, String path, int rank) {
      JsonNode v = get(n, "shape", path);
      if (!v.isArray() || v.size() != rank) {
        throw fail(path, "is " + v + ": must have " + rank + " dimension" + (rank > 1 ? "s" : ""));
      }
      int[] s = new int[rank];
      for (int i = 0; i < rank; i++) {
        JsonNode d = v.get(i);
        if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > 100_000) {
          throw fail(path, "is " + v + ": dimension " + i + " is not a whole number in [1, 100000]");
        }
        s[i] = d.asInt();
      }
      return s;
    }

    List<String> names(JsonNode n, String path, int size) {
      JsonNode v = get(n, "names", path);
      if (!v.isArray()) {
        throw fail(path, "is not an array of joint names");
      }
      if (v.size() != size) {
        throw fail(path, "has " + v.size() + " joint names for a shape of " + size);
      }
      List<String> names = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (JsonNode x : v) {
        if (!x.isTextual() || x.asText().isBlank()) {
          throw fail(path, "holds " + x + ", not a joint name");
        }
        if (!seen.add(x.asText())) {
          throw fail(path, "names joint " + x.asText() + " twice");
        }
        names.add(x.asText());
      }
      return List.copyOf(names);
    }

    Normalization normalization(JsonNode modes, JsonNode stats, String key, int size) {
      JsonNode m = modes.get(key);
      if (m == null || !m.isTextual()) {
        throw fail("normalization." + key, "is missing: say MEAN_STD, MIN_MAX or IDENTITY (what the policy was trained with)");
      }
      Mode mode;
      try {
        mode = Mode.valueOf(m.asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw fail("normalization." + key, "is '" + m.asText() + "': not MEAN_STD, MIN_MAX or IDENTITY");
      }
      if (mode == Mode.IDENTITY) {
        return new Normalization(mode, null, null);
      }
      String[] f = mode == Mode.MEAN_STD ? new String[] {"mean", "std"} : new String[] {"min", "max"};
      if (stats == null || !stats.has(key) || !stats.get(key).isObject()) {
        throw fail("stats." + key, "is missing (normalization " + mode + " needs its " + f[0] + " and " + f[1] + ")");
      }
      float[] a = values(stats.get(key), key, f[0], size);
      float[] b = values(stats.get(key), key, f[1], size);
      for (int i = 0; i < size; i++) {
        if (mode == Mode.MEAN_STD && !(b[i] > 0)) {
          throw fail("stats." + key + ".std[" + i + "]", "= " + b[i] + " is not a positive number");
        }
        if (mode == Mode.MIN_MAX && !(b[i] > a[i])) {
          throw fail("stats." + key + ".max[" + i + "]", "= " + b[i] + " is not above min " + a[i]);
        }
      }
      return new Normalization(mode, a, b);
    }

    /** A statistic: a flat list of {@code size} numbers, or LeRobot's nested [C, 1, 1] for images. */
    float[] values(JsonNode s, String key, String stat, int size) {
      String path = "stats." + key + "." + stat;
      JsonNode v = s.get(stat);
      if (v == null || !v.isArray()) {
        throw fail(path, "is missing");
      }
      List<JsonNode> flat = new ArrayList<>();
      flatten(v, flat, path, 0);
      if (flat.size() != size) {
        throw fail(path, "has " + flat.size() + " values, the feature has " + size);
      }
      float[] out = new float[size];
      for (int i = 0; i < size; i++) {
        JsonNode x = flat.get(i);
        double d = x.isNumber() ? x.asDouble() : Double.NaN;
        if (!Double.isFinite(d) || !Float.isFinite((float) d)) {
          throw fail(path + "[" + i + "]", "= " + (x.isNumber() ? String.valueOf(d) : x.toString()) + " is not a finite number");
        }
        out[i] = (float) d;
      }
      return out;
    }

    private void flatten(JsonNode v, List<JsonNode> out, String path, int depth) {
      if (depth > 3 || out.size() > 100_000) {
        throw fail(path, "is nested too deep or too long");
      }
      if (v.isArray()) {
        for (JsonNode x : v) {
          flatten(x, out, path, depth + 1);
        }
      } else {
        out.add(v);
      }
    }
  }
}
