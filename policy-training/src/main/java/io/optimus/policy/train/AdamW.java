package io.optimus.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW whose whole state (first and second moments, step count) is ours to save and restore, so a
 * resumed run continues bit for bit (DJL's own optimizers keep their moments private). The update
 * itself is the engine's fused in-place adam kernel, as DJL's optimizer uses.
 */
public final class AdamW {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final List<Parameter> parameters = new ArrayList<>();
  private final List<NDArray> means = new ArrayList<>();
  private final List<NDArray> variances = new ArrayList<>();
  private final float learningRate;
  private final float weightDecay;
  private long updates;

  public AdamW(ai.djl.nn.ParameterList params, NDManager manager, double learningRate, double weightDecay) {
    this.learningRate = (float) learningRate;
    this.weightDecay = (float) weightDecay;
    for (ai.djl.util.Pair<String, Parameter> p : params) {
      if (!p.getValue().requiresGradient()) {
        continue;
      }
      NDArray w = p.getValue().getArray();
      parameters.add(p.getValue());
      means.add(manager.zeros(w.getShape(), w.getDataType()));
      variances.add(manager.zeros(w.getShape(), w.getDataType()));
    }
  }

  /** One update from the gradients the last backward pass left on the parameters. */
  public void step() {
    step(1);
  }

  /** As {@link #step()} with the learning rate scaled by {@code scale} (a schedule's factor). */
  public void step(double scale) {
    updates++;
    double biasCorrection = Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates));
    float base = (float) (learningRate * scale);
    float lr = (float) (base * biasCorrection);
    for (int i = 0; i < parameters.size(); i++) {
      NDArray w = parameters.get(i).getArray();
      NDArray grad = w.getGradient();
      w.getNDArrayInternal().adamUpdate(new NDList(w, grad, means.get(i), variances.get(i)), new NDList(w),
          base, lr, weightDecay, 1f, -1f, BETA1, BETA2, EPSILON, true, true);
      grad.close();
    }
  }

  public long updates() {
    return updates;
  }

  public void save(Path file) throws IOException {
    NDList all = new NDList();
    all.addAll(means);
    all.addAll(variances);
    byte[] encoded = all.encode();
    try (var out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
      out.writeLong(updates);
      out.writeInt(encoded.length);
      out.write(encoded);
    }
  }

  public void load(Path file, NDManager manager) throws IOException {
    try (var in = new java.io.DataInputStream(Files.newInputStream(file))) {
      long u = in.readLong();
      byte[] encoded = new byte[in.readInt()];
      in.readFully(encoded);
      NDList all = NDList.decode(manager, encoded);
      if (all.size() != 2 * means.size()) {
        throw new IOException("optimizer state " + file + " holds " + all.size() / 2 + " parameters, the model "
            + means.size());
      }
      for (int i = 0; i < means.size(); i++) {
        means.get(i).set(all.get(i).toByteBuffer());
        variances.get(i).set(all.get(means.size() + i).toByteBuffer());
      }
      all.close();
      updates = u;
    }
  }
}
