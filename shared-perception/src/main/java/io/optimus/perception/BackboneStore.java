package io.optimus.perception;

import io.optimus.perception.net.BackboneConfig;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.perception.net.ResNetFpn;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On-disk layout of weights, one directory per part so the backbone travels without the heads:
 * {@code backbone/backbone.json} (config) + {@code backbone/backbone.params} (DJL parameter stream),
 * and likewise {@code heads/heads.json} + {@code heads/heads.params} in a full model directory.
 */
public final class BackboneStore {
  public static final String BACKBONE_DIR = "backbone";
  public static final String HEADS_DIR = "heads";
  static final String FORMAT = "optimus-perception-v1";

  private BackboneStore() {}

  /** The backbone directory inside {@code dir}: {@code dir} itself or its {@code backbone/} child. */
  public static Path backboneDir(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException("model directory " + dir + ": does not exist or is not a directory");
    }
    if (Files.isRegularFile(dir.resolve("backbone.json"))) {
      return dir;
    }
    Path inner = dir.resolve(BACKBONE_DIR);
    if (Files.isRegularFile(inner.resolve("backbone.json"))) {
      return inner;
    }
    throw new InputException("model directory " + dir
        + ": no backbone.json in it or in its backbone/ subdirectory (train one with 'optimus perception train')");
  }

  public static BackboneConfig readConfig(Path backboneDir) {
    Path file = backboneDir.resolve("backbone.json");
    try {
      JsonNode node = Json.MAPPER.readTree(file.toFile());
      if (!FORMAT.equals(node.path("format").asText())) {
        throw new InputException(file + ": not an optimus perception backbone (format '"
            + node.path("format").asText() + "', expected '" + FORMAT + "')");
      }
      return new BackboneConfig(node.path("depth").asInt(), node.path("width").asInt(),
          node.path("fpnChannels").asInt());
    } catch (IOException e) {
      throw new InputException(file + ": unreadable backbone config: " + e.getMessage(), e);
    }
  }

  public static void writeBackbone(ResNetFpn backbone, Path dir) {
    BackboneConfig c = backbone.config();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("architecture", "resnet" + c.depth() + "-fpn");
    json.put("depth", c.depth());
    json.put("width", c.width());
    json.put("fpnChannels", c.fpnChannels());
    json.put("embeddingSize", c.embeddingSize());
    json.put("input", "RGB float [N,3,H,W] in [0,1], H and W multiples of 32");
    write(backbone, dir, "backbone", json);
  }

  public static void writeHeads(Block heads, BackboneConfig config, Path dir) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("heads", new String[] {"segmentation(background,road,lane)@stride2", "logDepth@stride2",
        "centerHeatmap(vehicle)@stride4", "boxSize(w,h cells)@stride4",
        "robotSegmentation(background,object,hand)@stride2", "robotLogDepth@stride2", "robotCentreHeatmap(object)@stride4"});
    json.put("fpnChannels", config.fpnChannels());
    write(heads, dir, "heads", json);
  }

  private static void write(Block block, Path dir, String name, Map<String, Object> json) {
    try {
      Files.createDirectories(dir);
      Path params = dir.resolve(name + ".params");
      Path tmp = dir.resolve(name + ".params.tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        block.saveParameters(out);
      }
      Files.move(tmp, params, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(dir.resolve(name + ".json"), Json.write(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " to " + dir, e);
    }
  }

  /**
   * Loads parameters saved by {@link #writeBackbone}/{@link #writeHeads} into {@code block}, then
   * checks every loaded shape against {@code reference} (a fresh block of the configured shape,
   * initialised here for inputs {@code referenceInput}): DJL itself accepts weights of any shape.
   */
  public static void readParams(Block block, NDManager manager, Path dir, String name, Block reference,
      Shape... referenceInput) {
    readParams(block, manager, dir, name);
    try (NDManager scratch = manager.newSubManager()) {
      reference.initialize(scratch, DataType.FLOAT32, referenceInput);
      ParameterList expected = reference.getParameters();
      ParameterList loaded = block.getParameters();
      if (expected.size() != loaded.size()) {
        throw mismatch(dir, name, expected.size() + " parameters", loaded.size() + "");
      }
      for (int i = 0; i < expected.size(); i++) {
        Shape want = expected.get(i).getValue().getArray().getShape();
        Shape got = loaded.get(i).getValue().getArray().getShape();
        if (!want.equals(got)) {
          throw mismatch(dir, name, expected.get(i).getKey() + " " + want, got.toString());
        }
      }
    }
  }

  private static InputException mismatch(Path dir, String name, String want, String got) {
    return new InputException(dir.resolve(name + ".params") + ": cannot load " + name + " weights: they do not"
        + " match " + name + ".json (expected " + want + ", the file has " + got + ")");
  }

  private static void readParams(Block block, NDManager manager, Path dir, String name) {
    Path params = dir.resolve(name + ".params");
    if (!Files.isRegularFile(params)) {
      throw new InputException(params + ": missing " + name + " weights");
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
      block.loadParameters(manager, in);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException(params + ": cannot load " + name + " weights (truncated, or saved by a"
          + " different architecture than its " + name + ".json says): " + e.getMessage(), e);
    }
  }
}
