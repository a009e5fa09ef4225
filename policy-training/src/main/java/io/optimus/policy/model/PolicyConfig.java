package io.optimus.policy.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Everything that decides a training run, read from a JSON file; fields left out take the defaults
 * of {@link #defaults()}. The same config (seed included) on the same data gives the same loss curve.
 *
 * @param kind "mlp" (behaviour cloning on joint state) or "act" (transformer over image tokens and
 *     the joint-state token, predicting action chunks)
 * @param chunk H, the number of future joint targets predicted per step
 * @param history past joint positions added to the observation (0 = current state only)
 * @param velocity whether measured joint velocities are part of the observation (off by default, as
 *     in ACT: with velocities a cloned policy tends to just continue the current motion)
 * @param mlpUseImage whether the MLP also sees the pooled image embedding
 * @param ensembleDecay ACT's temporal-ensembling weight decay m: w_i = exp(-m i), i = 0 the oldest
 *     (negative: the newest predictions weigh more)
 * @param encoder image encoder: "none", "pixels:G" (G x G colour grid), "backbone:scratch" or
 *     "backbone:DIR" (a saved shared-perception backbone), always frozen with cached features
 * @param rateHz the policy's step rate: recorded states are subsampled to it (the chunk then spans
 *     chunk / rateHz seconds); 0 keeps every recorded state
 * @param featureStride which backbone feature map the encoder hands over: 4, 8, 16 or 32 pixels per
 *     cell (finer maps locate small objects better and cost more cache and attention)
 * @param keypoints 0: every feature cell is an image token (ACT) or the cells are average-pooled
 *     (MLP); K &gt; 0: a learned spatial soft-argmax (Levine et al. 2016) turns the feature map into K
 *     image keypoints (x, y), which keeps where things are while dropping the rest
 * @param schedule learning-rate schedule: "cosine" (2% warm-up, then cosine decay to 10%; depends on
 *     {@code steps}, so extending a finished run by resuming with more steps changes its tail) or
 *     "constant" (extending a run by resuming equals training it that long in one go)
 * @param keypointGain the starting value of the keypoints' learned softmax gain (a multiplier on
 *     the score maps). At gain 1 the scores of normalized colour cells differ by a few units, so
 *     each softmax spreads over about a thousand cells and the "keypoint" is an image-wide mean
 *     that barely moves with a 2-cell cube; a gain of about 10 lets it lock onto one object.
 * @param keypointScale what the keypoint coordinates (in [-1, 1]) are multiplied by before the policy
 *     sees them. The cube moves its keypoint by about 0.1 across the work area; from inputs that small,
 *     with Adam's step sizes and weight decay, the policy learned only a fraction of the slope: its
 *     hand went to about the same depth whatever the cube's, and missed cubes near the body by 5-9 cm.
 *     Runs saved before this field existed used 1.
 */
public record PolicyConfig(
    String kind,
    int chunk,
    int history,
    boolean velocity,
    boolean mlpUseImage,
    int hidden,
    int layers,
    int dModel,
    int heads,
    int encoderLayers,
    int feedForward,
    double learningRate,
    double weightDecay,
    int batchSize,
    int steps,
    long seed,
    double validationFraction,
    int checkpointEvery,
    int evalEvery,
    double ensembleDecay,
    String encoder,
    int threads,
    double rateHz,
    int featureStride,
    int keypoints,
    String schedule,
    double keypointGain,
    double keypointScale) {

  /** Default {@link #keypointScale()}: the cube's keypoint then moves by about one unit, like a normalized input. */
  public static final double KEYPOINT_SCALE = 10;

  public static PolicyConfig defaults() {
    return new PolicyConfig("act", 20, 0, false, false, 256, 3, 64, 4, 2, 128, 1e-3, 1e-4, 64, 2000, 0L, 0.1,
        500, 100, -0.05, "backbone:scratch", 2, 50, 16, 0, "cosine", 10, KEYPOINT_SCALE);
  }

  public PolicyConfig {
    require(kind != null && (kind.equals("mlp") || kind.equals("act")), "kind", kind, "must be \"mlp\" or \"act\"");
    require(chunk >= 1 && chunk <= 200, "chunk", chunk, "must be in [1, 200]");
    require(history >= 0 && history <= 50, "history", history, "must be in [0, 50]");
    require(hidden >= 1, "hidden", hidden, "must be positive");
    require(layers >= 1, "layers", layers, "must be positive");
    require(dModel >= 1 && heads >= 1 && dModel % heads == 0, "dModel", dModel, "must be a positive multiple of heads");
    require(encoderLayers >= 1, "encoderLayers", encoderLayers, "must be positive");
    require(feedForward >= 1, "feedForward", feedForward, "must be positive");
    require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "must be positive");
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "must be >= 0");
    require(batchSize >= 1, "batchSize", batchSize, "must be positive");
    require(steps >= 1, "steps", steps, "must be positive");
    require(validationFraction >= 0 && validationFraction < 1, "validationFraction", validationFraction, "must be in [0, 1)");
    require(checkpointEvery >= 1, "checkpointEvery", checkpointEvery, "must be positive");
    require(evalEvery >= 1, "evalEvery", evalEvery, "must be positive");
    require(Double.isFinite(ensembleDecay), "ensembleDecay", ensembleDecay, "must be a number");
    require(encoder != null && (encoder.equals("none") || encoder.startsWith("pixels:") || encoder.startsWith("backbone:")),
        "encoder", encoder, "must be none, pixels:G, backbone:scratch or backbone:DIR");
    require(threads >= 1, "threads", threads, "must be positive");
    require(rateHz >= 0 && rateHz <= 1000, "rateHz", rateHz, "must be in [0, 1000] (0 = every recorded state)");
    require(featureStride == 4 || featureStride == 8 || featureStride == 16 || featureStride == 32, "featureStride",
        featureStride, "must be 4, 8, 16 or 32");
    require("cosine".equals(schedule) || "constant".equals(schedule), "schedule", schedule,
        "must be \"cosine\" or \"constant\"");
    require(keypointGain > 0 && keypointGain <= 1000, "keypointGain", keypointGain, "must be in (0, 1000]");
    require(keypointScale > 0 && keypointScale <= 1000, "keypointScale", keypointScale, "must be in (0, 1000]");
    require(keypoints >= 0 && keypoints <= 64, "keypoints", keypoints, "must be in [0, 64] (0 = feature cells as tokens)");
  }

  private static void require(boolean ok, String field, Object value, String problem) {
    if (!ok) {
      throw new InputException("policy config: " + field + " = " + value + " " + problem);
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isAct() {
    return kind.equals("act");
  }

  /** Reads a config file; unknown fields and bad values are errors naming the file and field. */
  public static PolicyConfig load(Path file) {
    return fromJson(readJson(file), file.toString());
  }

  /**
   * Reads the config saved in a run directory. A run saves every field, so one without
   * {@code keypointScale} was trained before it existed, at scale 1.
   */
  public static PolicyConfig loadRun(Path file) {
    JsonNode node = readJson(file);
    if (node instanceof ObjectNode o && !o.has("keypointScale")) {
      o.put("keypointScale", 1.0);
    }
    return fromJson(node, file.toString());
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("policy config " + file + ": no such file");
    }
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("policy config " + file + ": not valid JSON: " + message(e), e);
    }
  }

  public static PolicyConfig fromJson(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new InputException("policy config " + source + ": must be a JSON object");
    }
    ObjectNode merged = Json.MAPPER.valueToTree(defaults());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!merged.has(f.getKey())) {
        throw new InputException("policy config " + source + ": unknown field \"" + f.getKey() + "\"");
      }
      merged.set(f.getKey(), f.getValue());
    }
    try {
      return Json.MAPPER.treeToValue(merged, PolicyConfig.class);
    } catch (IOException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InputException ie) {
        throw new InputException(ie.getMessage().replace("policy config:", "policy config " + source + ":"), e);
      }
      String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
          ? "field " + m.getPath().get(0).getFieldName() + ": " : "";
      throw new InputException("policy config " + source + ": " + field + message(e), e);
    }
  }

  private static String message(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, Json.write(this));
  }

  public PolicyConfig withSteps(int newSteps) {
    return new PolicyConfig(kind, chunk, history, velocity, mlpUseImage, hidden, layers, dModel, heads, encoderLayers,
        feedForward, learningRate, weightDecay, batchSize, newSteps, seed, validationFraction, checkpointEvery,
        evalEvery, ensembleDecay, encoder, threads, rateHz, featureStride, keypoints, schedule, keypointGain,
        keypointScale);
  }
}
