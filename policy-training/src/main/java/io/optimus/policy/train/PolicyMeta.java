package io.optimus.policy.train;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.data.FeatureShape;
import io.optimus.policy.data.JointLayout;
import io.optimus.policy.data.ObservationLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a trained policy needs besides its weights: the joint layout it reads and commands, the
 * image features it expects (shape and encoder), the control rate it was trained at, and which
 * episodes were held out.
 */
public record PolicyMeta(String kind, JointLayout joints, FeatureShape featureShape, String encoderId,
    double rateHz, int history, boolean velocity, int chunk, List<String> trainEpisodes, List<String> validationEpisodes) {

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
    } catch (IOException e) {
      throw new InputException("policy run: cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
