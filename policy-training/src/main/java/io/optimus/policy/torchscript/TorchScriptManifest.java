package io.optimus.policy.torchscript;

import io.optimus.common.InputException;
import io.optimus.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an import checked, written last into the run directory: the model's SHA-256 and size (verified
 * on every load), where it came from, the robot its joints were checked against, and the dummy
 * forward pass (output shape, time).
 */
public record TorchScriptManifest(String format, String modelSha256, long modelBytes, String source, String robot,
    List<Long> outputShape, double loadMs, double forwardMs, String importedAt) {
  public static TorchScriptManifest load(Path file) {
    try {
      TorchScriptManifest m = Json.MAPPER.readValue(file.toFile(), TorchScriptManifest.class);
      if (m == null || m.modelSha256() == null || !TorchScriptRun.FORMAT.equals(m.format())) {
        throw new InputException("manifest " + file + ": not an imported TorchScript policy's manifest");
      }
      return m;
    } catch (IOException e) {
      throw new InputException("manifest " + file + ": cannot read: " + TorchScriptPolicy.firstLine(e));
    }
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, Json.write(this));
  }

  /** Refuses a model that is not the one imported (changed, truncated, swapped). */
  public void verify(Path model) {
    try {
      if (!Files.isRegularFile(model) || Files.size(model) != modelBytes || !sha256(model).equals(modelSha256)) {
        throw new InputException("policy model " + model + " is not the one imported (size or SHA-256 differ from manifest.json)");
      }
    } catch (IOException e) {
      throw new InputException("policy model " + model + ": cannot read: " + e.getMessage());
    }
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
