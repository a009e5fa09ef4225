package io.optimus.policy.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.optimus.common.InputException;
import io.optimus.policy.data.ObservationLayout;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A policy network of any family: normalized state (B, S) and, when the layout has images, image
 * features (B, N*C) in; a normalized action chunk (B, H*J) out. Training and inference share
 * {@link #predict}, {@link #save} and {@link #load}.
 */
public abstract class PolicyModel extends AbstractBlock {
  protected final ObservationLayout layout;

  protected PolicyModel(ObservationLayout layout) {
    this.layout = layout;
  }

  public ObservationLayout layout() {
    return layout;
  }

  /** Draws the weights (Xavier where a parameter brings no initializer of its own); returns this. */
  public PolicyModel initialized(NDManager manager) {
    setInitializer(new XavierInitializer(), p -> p.getType() == Parameter.Type.WEIGHT && p.getInitializer() == null);
    initialize(manager, DataType.FLOAT32, inputShapes(layout, 1));
    return this;
  }

  public static Shape[] inputShapes(ObservationLayout layout, int batch) {
    return layout.featureShape() == null
        ? new Shape[] {new Shape(batch, layout.stateSize())}
        : new Shape[] {new Shape(batch, layout.stateSize()), new Shape(batch, layout.featureSize())};
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), layout.actionSize())};
  }

  /** Forward pass in inference mode; returns normalized actions (batch x H*J). */
  public float[] predict(NDManager manager, float[] state, float[] features, int batch) {
    try (NDManager sub = manager.newSubManager()) {
      NDList in = new NDList(sub.create(state, new Shape(batch, layout.stateSize())));
      if (features != null) {
        in.add(sub.create(features, new Shape(batch, layout.featureSize())));
      }
      return forward(new ParameterStore(sub, false), in, false).head().toFloatArray();
    }
  }

  public void save(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      saveParameters(out);
    }
  }

  /** Replaces the weights with the ones saved in {@code file}; returns this. */
  public PolicyModel load(Path file, NDManager manager) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new InputException("policy weights " + file + ": " + e.getMessage(), e);
    } catch (java.io.EOFException e) {
      throw new InputException("policy weights " + file + ": truncated (" + Files.size(file) + " bytes)", e);
    } catch (IllegalArgumentException | IllegalStateException | ai.djl.engine.EngineException e) {
      // what the engine says of parameters that do not fit the network (other shapes, a damaged file)
      throw new InputException("policy weights " + file + ": do not fit this " + getClass().getSimpleName() + ": "
          + e.getMessage(), e);
    }
    return this;
  }
}
