package io.optimus.policy.train;

import static io.optimus.policy.config.ConfigFields.require;

import io.optimus.policy.config.ConfigFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a policy is trained (not needed to run it): AdamW's learning rate and weight decay, batch size,
 * steps and seed, the held-out fraction, how often to checkpoint and measure, the schedule, threads.
 * The same config (seed included) on the same data gives the same loss curve.
 *
 * @param schedule learning-rate schedule: "cosine" (2% warm-up, then cosine decay to 10%; depends on
 *     {@code steps}, so extending a finished run by resuming with more steps changes its tail) or
 *     "constant" (extending a run by resuming equals training it that long in one go)
 * @param threads PyTorch intra-op threads for training
 */
public record TrainConfig(double learningRate, double weightDecay, int batchSize, int steps, long seed,
    double validationFraction, int checkpointEvery, int evalEvery, String schedule, int threads) {
  public static final TrainConfig DEFAULT = new TrainConfig(1e-3, 1e-4, 64, 2000, 0L, 0.1, 500, 100, "cosine", 2);
  public static final List<String> FIELDS = List.of("learningRate", "weightDecay", "batchSize", "steps", "seed",
      "validationFraction", "checkpointEvery", "evalEvery", "schedule", "threads");

  public TrainConfig {
    require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "must be positive");
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "must be >= 0");
    require(batchSize >= 1, "batchSize", batchSize, "must be positive");
    require(steps >= 1, "steps", steps, "must be positive");
    require(validationFraction >= 0 && validationFraction < 1, "validationFraction", validationFraction,
        "must be in [0, 1)");
    require(checkpointEvery >= 1, "checkpointEvery", checkpointEvery, "must be positive");
    require(evalEvery >= 1, "evalEvery", evalEvery, "must be positive");
    require("cosine".equals(schedule) || "constant".equals(schedule), "schedule", schedule,
        "must be \"cosine\" or \"constant\"");
    require(threads >= 1 && threads <= 1024, "threads", threads, "must be in [1, 1024]");
  }

  /** Reads the training fields of a flat config object (other fields are the caller's business). */
  public static TrainConfig read(ConfigFields f) {
    TrainConfig d = DEFAULT;
    return f.build(() -> new TrainConfig(f.number("learningRate", d.learningRate),
        f.number("weightDecay", d.weightDecay), f.integer("batchSize", d.batchSize), f.integer("steps", d.steps),
        f.longInteger("seed", d.seed), f.number("validationFraction", d.validationFraction),
        f.integer("checkpointEvery", d.checkpointEvery), f.integer("evalEvery", d.evalEvery),
        f.string("schedule", d.schedule), f.integer("threads", d.threads)));
  }

  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("learningRate", learningRate);
    m.put("weightDecay", weightDecay);
    m.put("batchSize", batchSize);
    m.put("steps", steps);
    m.put("seed", seed);
    m.put("validationFraction", validationFraction);
    m.put("checkpointEvery", checkpointEvery);
    m.put("evalEvery", evalEvery);
    m.put("schedule", schedule);
    m.put("threads", threads);
    return m;
  }

  public TrainConfig withSteps(int v) {
    return toBuilder().steps(v).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** Starts from a config (the defaults for {@link #builder()}) and changes what is set. */
  public static final class Builder {
    private double learningRate;
    private double weightDecay;
    private int batchSize;
    private int steps;
    private long seed;
    private double validationFraction;
    private int checkpointEvery;
    private int evalEvery;
    private String schedule;
    private int threads;

    private Builder(TrainConfig c) {
      learningRate = c.learningRate;
      weightDecay = c.weightDecay;
      batchSize = c.batchSize;
      steps = c.steps;
      seed = c.seed;
      validationFraction = c.validationFraction;
      checkpointEvery = c.checkpointEvery;
      evalEvery = c.evalEvery;
      schedule = c.schedule;
      threads = c.threads;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder validationFraction(double v) {
      validationFraction = v;
      return this;
    }

    public Builder checkpointEvery(int v) {
      checkpointEvery = v;
      return this;
    }

    public Builder evalEvery(int v) {
      evalEvery = v;
      return this;
    }

    public Builder schedule(String v) {
      schedule = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(learningRate, weightDecay, batchSize, steps, seed, validationFraction, checkpointEvery,
          evalEvery, schedule, threads);
    }
  }
}
