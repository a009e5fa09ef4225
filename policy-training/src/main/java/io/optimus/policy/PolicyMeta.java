package io.optimus.policy;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.data.JointLayout;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.encode.FeatureShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a trained policy needs besides its weights: the joint layout it reads and commands, the
 * image features it expects (shape and encoder), the control rate it was trained at, and which
 * episodes were held out, and the cameras whose features it takes, in order (a run saved before the
 * field existed: the head camera).
 */
public record PolicyMeta(String kind, JointLayout joints, FeatureShape featureShape, String encoderId,
    double rateHz, int history, boolean velocity, int chunk, List<String> trainEpisodes, List<String> validationEpisodes,
    List<String> cameras) {
  public PolicyMeta {
    check(kind != null, "kind", "is missing");
    check(joints != null, "joints", "is missing");
    check(encoderId != null, "encoderId", "is missing");
    check(rateHz >= 0 && rateHz <= 1000, "rateHz", "= " + rateHz + " is not in [0, 1000]");
    check(history >= 0 && history <= 50, "history", "= " + history + " is not in [0, 50]");
    check(chunk >= 1 && chunk <= 200, "chunk", "= " + chunk + " is not in [1, 200]");
    trainEpisodes = trainEpisodes == null ? List.of() : List.copyOf(trainEpisodes);
    validationEpisodes = validationEpisodes == null ? List.of() : List.copyOf(validationEpisodes);
    cameras = cameras == null || cameras.isEmpty() ? PolicyConfig.LEGACY_CAMERAS : List.copyOf(cameras);
    check(featureShape == null || featureShape.views() == cameras.size(), "cameras",
        "lists " + cameras.size() + " cameras, the feature shape has " + (featureShape == null ? 0 : featureShape.views())
            + " views");
  }

  /** A policy of the head camera only (or none). */
  public PolicyMeta(String kind, JointLayout joints, FeatureShape featureShape, String encoderId, double rateHz,
      int history, boolean velocity, int chunk, List<String> trainEpisodes, List<String> validationEpisodes) {
    this(kind, joints, featureShape, encoderId, rateHz, history, velocity, chunk, trainEpisodes, validationEpisodes,
        null);
  }

  private static void check(boolean ok, String field, String problem) {
    if (!ok) {
      throw new InputException("field " + field + " " + problem);
    }
  }

  public ObservationLayout layout() {
    return new ObservationLayout(joints.size(), history, velocity, chunk, featureShape);
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, Json.write(this));
  }

  public static PolicyMeta load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("policy run: " + file + " is missing (not a trained policy run?)");
    }
    try {
      return Json.MAPPER.readValue(file.toFile(), PolicyMeta.class);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      // a value refused by a record's own check (a negative feature shape, a missing field) is the cause
      Throwable cause = e.getCause() instanceof RuntimeException r ? r : null;
      String field = e.getPath().isEmpty() ? "" : "field " + e.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(java.util.stream.Collectors.joining(".")) + ": ";
      String why = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
      throw new InputException("policy run: cannot read " + file + ": " + field + why, e);
    } catch (IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
          : e.toString();
      throw new InputException("policy run: cannot read " + file + ": " + why, e);
    }
  }
}
