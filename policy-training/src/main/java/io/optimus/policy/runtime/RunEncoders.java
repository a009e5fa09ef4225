package io.optimus.policy.runtime;

import io.optimus.common.InputException;
import io.optimus.policy.encode.BackboneImageEncoder;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.encode.ImageEncoders;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** Re-opens the exact image encoder a run was trained with (its own saved copy for backbones). */
public final class RunEncoders {
  private RunEncoders() {}

  /** Null when the policy takes no images. */
  public static ImageEncoder open(Path run, PolicyMeta meta, int imageSize) {
    String id = meta.encoderId();
    if (meta.featureShape() == null || id.equals("none")) {
      return null;
    }
    ImageEncoder e;
    if (id.startsWith("pixels:") || io.optimus.policy.encode.TaskStateEncoder.isSpec(id)) {
      e = ImageEncoders.open(id, 0, imageSize); // no weights: the id alone rebuilds it
    } else {
      Path dir = new RunFiles(run).encoderDir();
      if (!Files.isRegularFile(dir.resolve("backbone.json"))) {
        throw new InputException("policy run " + run + ": its image encoder (" + id + ") was not saved in " + dir);
      }
      e = BackboneImageEncoder.load(dir, imageSize, BackboneImageEncoder.strideOf(id));
    }
    if (!e.id().equals(id)) {
      e.close();
      throw new InputException("policy run " + run + ": encoder in the run is " + e.id() + ", the policy was trained on "
          + id);
    }
    return e;
  }
}
