package io.optimus.policy;

import static io.optimus.policy.config.ConfigFields.require;

import io.optimus.policy.act.ActConfig;
import io.optimus.policy.config.ConfigFields;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.encode.EncoderConfig;
import io.optimus.policy.encode.FeatureShape;
import io.optimus.policy.mlp.MlpConfig;
import io.optimus.policy.model.Keypoints;
import io.optimus.policy.model.ModelConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a policy is, everything inference needs to rebuild it: its family's architecture, what it
 * observes and predicts, and its image encoder. How it is trained is a separate
 * {@code train.TrainConfig}; a config file holds both, flat (see {@code train.RunConfig}).
 *
 * @param model the family: {@link ActConfig} (transformer over image tokens and the joint-state
 *     token, predicting action chunks) or {@link MlpConfig} (behaviour cloning baseline)
 * @param chunk H, the number of future joint targets predicted per step
 * @param history past joint positions added to the observation (0 = current state only)
 * @param velocity whether measured joint velocities are part of the observation (off by default, as
 *     in ACT: with velocities a cloned policy tends to just continue the current motion)
 * @param rateHz the policy's step rate: recorded states are subsampled to it (the chunk then spans
 *     chunk / rateHz seconds); 0 keeps every recorded state
 * @param ensembleDecay ACT's temporal-ensembling weight decay m: w_i = exp(-m i), i = 0 the oldest
 *     (negative: the newest predictions weigh more)
 * @param cameras the cameras the policy sees, in order (recorded as camera/NAME): each frame is encoded
 *     by {@code encoder} and the features of all of them make one observation. A run saved before the
 *     field existed saw the head camera only ({@link #LEGACY_CAMERAS}).
 * @param action what the policy predicts: {@value #ACTION_JOINTS} (joint position targets for every
 *     joint, the default) or {@value #ACTION_PALMS} (the joint targets plus each palm's pose on the
 *     stand, {@link io.optimus.policy.data.PalmPoses}; at run time each arm's joints are solved by IK
 *     to put its palm at the predicted pose)
 */
public record PolicyConfig(ModelConfig model, int chunk, int history, boolean velocity, double rateHz,
    double ensembleDecay, EncoderConfig encoder, List<String> cameras, String action) {
  public static final String ACTION_JOINTS = "joints";
  public static final String ACTION_PALMS = "palms";
  /** What runs saved before the {@code cameras} field saw. */
  public static final List<String> LEGACY_CAMERAS = List.of("head");
  /** The head camera and one on each wrist, as the bridge renders and records them. */
  public static final List<String> ALL_CAMERAS = List.of("head", "left_wrist", "right_wrist");
  public static final List<String> DEFAULT_CAMERAS = LEGACY_CAMERAS;
  public static final PolicyConfig DEFAULT = new PolicyConfig(ActConfig.DEFAULT, 20, 0, false, 50, -0.05,
      EncoderConfig.DEFAULT, DEFAULT_CAMERAS, ACTION_JOINTS);

  /** The fields of a config file that belong here (of both families, so either may be named). */
  public static final List<String> FIELDS = List.of("kind", "chunk", "history", "velocity", "rateHz", "ensembleDecay",
      "dModel", "heads", "encoderLayers", "feedForward", "hidden", "layers", "mlpUseImage", "keypoints",
      "keypointGain", "keypointScale", "encoder", "featureStride", "cameras", "action");

  /** Joint-space actions ({@value #ACTION_JOINTS}). */
  public PolicyConfig(ModelConfig model, int chunk, int history, boolean velocity, double rateHz,
      double ensembleDecay, EncoderConfig encoder, List<String> cameras) {
    this(model, chunk, history, velocity, rateHz, ensembleDecay, encoder, cameras, ACTION_JOINTS);
  }

  public PolicyConfig {
    require(ACTION_JOINTS.equals(action) || ACTION_PALMS.equals(action), "action", action,
        "must be \"" + ACTION_JOINTS + "\" or \"" + ACTION_PALMS + "\"");
    require(model != null, "kind", null, "must be \"mlp\" or \"act\"");
    require(chunk >= 1 && chunk <= 200, "chunk", chunk, "must be in [1, 200]");
    require(history >= 0 && history <= 50, "history", history, "must be in [0, 50]");
    require(rateHz >= 0 && rateHz <= 1000, "rateHz", rateHz, "must be in [0, 1000] (0 = every recorded state)");
    require(Double.isFinite(ensembleDecay), "ensembleDecay", ensembleDecay, "must be a number");
    require(encoder != null, "encoder", null, "must be given");
    require(cameras != null && !cameras.isEmpty() && cameras.size() <= 8, "cameras", cameras,
        "must list 1 to 8 camera names");
    require(cameras.stream().allMatch(c -> c != null && c.matches("[A-Za-z0-9_-]{1,64}")), "cameras", cameras,
        "must be camera names (letters, digits, _ or -), e.g. [\"head\", \"left_wrist\", \"right_wrist\"]");
    require(cameras.stream().distinct().count() == cameras.size(), "cameras", cameras, "must not repeat a camera");
    cameras = List.copyOf(cameras);
    if (io.optimus.policy.encode.TaskStateEncoder.isSpec(encoder.spec())) {
      // its one 1x1 map is the observation: nothing must drop it silently
      String id = encoder.spec();
      int k = model instanceof ActConfig a ? a.keypoints().count() : model instanceof MlpConfig m ? m.keypoints().count() : 0;
      require(k == 0, "keypoints", k, "must be 0 with encoder " + id + " (no image to find keypoints in)");
      require(!(model instanceof MlpConfig m) || m.useImage(), "mlpUseImage", false, "must be true with encoder " + id
          + " (the task state comes in as the image embedding)");
      require(cameras.equals(DEFAULT_CAMERAS), "cameras", cameras, "must be left at [\"head\"] with encoder " + id
          + " (it sees no camera)");
    }
  }

  public String kind() {
    return model.kind();
  }

  /** Numbers appended to each action after the joint targets (the palm poses with {@value #ACTION_PALMS}). */
  public int extraActions() {
    return ACTION_PALMS.equals(action) ? io.optimus.policy.data.PalmPoses.SIZE : 0;
  }

  public boolean isAct() {
    return model instanceof ActConfig;
  }

  /** The observation and action layout for this policy on {@code joints} joints with these image features. */
  public ObservationLayout layout(int joints, FeatureShape featureShape) {
    return new ObservationLayout(joints, history, velocity, chunk, featureShape, extraActions());
  }

  /**
   * Reads the policy's fields of a flat config object (other fields are the caller's business).
   *
   * @param keypointScale the scale when the object names none: {@link Keypoints#SCALE} for a new
   *     config, {@link Keypoints#LEGACY_SCALE} for a run saved before the field existed
   */
  public static PolicyConfig read(ConfigFields f, double keypointScale) {
    return read(f, keypointScale, DEFAULT_CAMERAS);
  }

  /** As {@link #read(ConfigFields, double)}; {@code cameras} when the object names none. */
  public static PolicyConfig read(ConfigFields f, double keypointScale, List<String> cameras) {
    PolicyConfig d = DEFAULT;
    return f.build(() -> {
      String kind = f.string("kind", d.kind());
      Keypoints k = new Keypoints(f.integer("keypoints", Keypoints.NONE.count()),
          f.number("keypointGain", Keypoints.NONE.gain()), f.number("keypointScale", keypointScale));
      // both families are read so a bad value is refused whichever is chosen, as before the split
      ActConfig act = new ActConfig(f.integer("dModel", ActConfig.DEFAULT.dModel()),
          f.integer("heads", ActConfig.DEFAULT.heads()), f.integer("encoderLayers", ActConfig.DEFAULT.encoderLayers()),
          f.integer("feedForward", ActConfig.DEFAULT.feedForward()), k);
      MlpConfig mlp = new MlpConfig(f.integer("hidden", MlpConfig.DEFAULT.hidden()),
          f.integer("layers", MlpConfig.DEFAULT.layers()), f.bool("mlpUseImage", MlpConfig.DEFAULT.useImage()), k);
      ModelConfig model = switch (kind) {
        case ActConfig.KIND -> act;
        case MlpConfig.KIND -> mlp;
        default -> {
          require(false, "kind", kind, "must be \"mlp\" or \"act\"");
          yield null;
        }
      };
      return new PolicyConfig(model, f.integer("chunk", d.chunk()), f.integer("history", d.history()),
          f.bool("velocity", d.velocity()), f.number("rateHz", d.rateHz()), f.number("ensembleDecay", d.ensembleDecay()),
          new EncoderConfig(f.string("encoder", d.encoder().spec()),
              f.integer("featureStride", d.encoder().featureStride())), f.strings("cameras", cameras),
          f.string("action", d.action()));
    });
  }

  /** The policy part of a trained run's config.json (the training fields beside it are not looked at). */
  public static PolicyConfig loadRun(Path file) {
    return read(ConfigFields.read(file, "policy config"), Keypoints.LEGACY_SCALE, LEGACY_CAMERAS);
  }

  /** This config's fields, flat, in file order. */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind());
    m.put("chunk", chunk);
    m.put("history", history);
    m.put("velocity", velocity);
    Keypoints k;
    if (model instanceof ActConfig a) {
      m.put("dModel", a.dModel());
      m.put("heads", a.heads());
      m.put("encoderLayers", a.encoderLayers());
      m.put("feedForward", a.feedForward());
      k = a.keypoints();
    } else {
      MlpConfig p = (MlpConfig) model;
      m.put("hidden", p.hidden());
      m.put("layers", p.layers());
      m.put("mlpUseImage", p.useImage());
      k = p.keypoints();
    }
    m.put("keypoints", k.count());
    m.put("keypointGain", k.gain());
    m.put("keypointScale", k.scale());
    m.put("ensembleDecay", ensembleDecay);
    m.put("rateHz", rateHz);
    m.put("encoder", encoder.spec());
    m.put("featureStride", encoder.featureStride());
    m.put("cameras", cameras);
    m.put("action", action);
    return m;
  }

  public PolicyConfig withEncoder(EncoderConfig e) {
    return toBuilder().encoder(e).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** Starts from a config (the defaults for {@link #builder()}) and changes what is set. */
  public static final class Builder {
    private ModelConfig model;
    private int chunk;
    private int history;
    private boolean velocity;
    private double rateHz;
    private double ensembleDecay;
    private EncoderConfig encoder;
    private List<String> cameras;
    private String action;

    private Builder(PolicyConfig c) {
      action = c.action;
      cameras = c.cameras;
      model = c.model;
      chunk = c.chunk;
      history = c.history;
      velocity = c.velocity;
      rateHz = c.rateHz;
      ensembleDecay = c.ensembleDecay;
      encoder = c.encoder;
    }

    public Builder model(ModelConfig v) {
      model = v;
      return this;
    }

    public Builder chunk(int v) {
      chunk = v;
      return this;
    }

    public Builder history(int v) {
      history = v;
      return this;
    }

    public Builder velocity(boolean v) {
      velocity = v;
      return this;
    }

    public Builder rateHz(double v) {
      rateHz = v;
      return this;
    }

    public Builder ensembleDecay(double v) {
      ensembleDecay = v;
      return this;
    }

    public Builder encoder(EncoderConfig v) {
      encoder = v;
      return this;
    }

    public Builder cameras(List<String> v) {
      cameras = v;
      return this;
    }

    public Builder action(String v) {
      action = v;
      return this;
    }

    public Builder encoder(String spec, int featureStride) {
      return encoder(new EncoderConfig(spec, featureStride));
    }

    public PolicyConfig build() {
      return new PolicyConfig(model, chunk, history, velocity, rateHz, ensembleDecay, encoder, cameras, action);
    }
  }
}
