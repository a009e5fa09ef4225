package io.optimus.policy.torchscript;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.optimus.common.InputException;
import io.optimus.perception.DjlRuntime;
import io.optimus.policy.EngineThreads;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.encode.FeatureShape;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.ChunkPredictor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy imported from TorchScript, run by DJL's PyTorch engine: normalizes the observation as the
 * spec says, calls the traced module with (state [1, S], image [1, 3, H, W]) and unnormalizes its
 * action chunk. Thread-safe: {@link #predict} runs one call at a time (a TorchScript module may be
 * called from several threads, but the buffers here are shared).
 */
public final class TorchScriptPolicy implements ChunkPredictor {
  private static final Logger LOG = LoggerFactory.getLogger(TorchScriptPolicy.class);
  static final int WARM_UP_CALLS = 3;
  private final Path run;
  /** The model file errors name: the user's file during an import, the run's copy after. */
  private final Path shownAs;
  private final TorchScriptSpec spec;
  private final PolicyMeta meta;
  private final ObservationLayout layout;
  private final Model model;
  private final Block block;
  private final float[] state;
  private final float[] image;
  private final byte[] imageBytes;
  private long nonFinite;

  private TorchScriptPolicy(Path run, Path shownAs, TorchScriptSpec spec, PolicyMeta meta, Model model) {
    this.run = run;
    this.shownAs = shownAs;
    this.spec = spec;
    this.meta = meta;
    this.layout = meta.layout();
    this.model = model;
    this.block = model.getBlock();
    this.state = new float[spec.stateSize()];
    TorchScriptSpec.Image im = spec.image();
    this.image = im == null || im.uint8() ? null : new float[3 * im.height() * im.width()];
    this.imageBytes = im == null || !im.uint8() ? null : new byte[3 * im.height() * im.width()];
  }

  /** Loads an imported run: checks the model against the hash its manifest recorded, then opens it. */
  public static TorchScriptPolicy load(Path run) {
    TorchScriptRun files = new TorchScriptRun(run);
    if (!Files.isRegularFile(files.manifest())) {
      throw new InputException("policy run " + run + ": no manifest.json (import unfinished?)");
    }
    TorchScriptManifest manifest = TorchScriptManifest.load(files.manifest());
    manifest.verify(files.model());
    TorchScriptSpec spec = TorchScriptSpec.load(files.spec());
    PolicyMeta meta = PolicyMeta.load(new RunFiles(run).meta());
    if (!meta.joints().names().equals(spec.actionNames())) {
      throw new InputException("policy run " + run + ": policy.json and torchscript.json name different joints");
    }
    TorchScriptPolicy p = open(run, files.model(), files.model(), spec, meta);
    try {
      p.warmUp();
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /**
   * TorchScript's profiling executor optimizes a module over its first calls (the first took 300 ms
   * here, later ones about 1 ms): made at load so that no control step pays for them.
   */
  private void warmUp() {
    float[] q = midState();
    float[] im = midImage();
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      forwardRaw(q, im);
    }
  }

  /** Joint positions in the middle of the training statistics (normalized 0). */
  float[] midState() {
    float[] q = new float[spec.stateSize()];
    for (int i = 0; i < q.length; i++) {
      q[i] = spec.state().unnormalize(0f, i);
    }
    return q;
  }

  /** A grey head-camera image as {@link #imageInput} gives it; null without image input. */
  float[] midImage() {
    if (spec.image() == null) {
      return null;
    }
    float[] image = new float[3 * spec.image().height() * spec.image().width()];
    Arrays.fill(image, spec.image().uint8() ? 128f : 0.5f);
    return image;
  }

  /** Opens {@code modelFile} (a name ending in .pt) with the given contract; errors name {@code shownAs}. */
  static TorchScriptPolicy open(Path run, Path modelFile, Path shownAs, TorchScriptSpec spec, PolicyMeta meta) {
    DjlRuntime.engine();
    EngineThreads.configure(EngineThreads.INFERENCE);
    Model m = Model.newInstance("torchscript-policy", ai.djl.Device.cpu(), "PyTorch");
    String name = modelFile.getFileName().toString();
    try {
      // mapLocation: a model traced on a GPU loads onto the CPU
      m.load(modelFile.toAbsolutePath().getParent(), name.substring(0, name.length() - 3), Map.of("mapLocation", "true"));
      return new TorchScriptPolicy(run, shownAs, spec, meta, m);
    } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
      m.close();
      throw new InputException("model " + shownAs + ": not a TorchScript module PyTorch can load: " + firstLine(e));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  static String firstLine(Throwable e) {
    String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    s = s.strip().lines().findFirst().orElse("");
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  public TorchScriptSpec spec() {
    return spec;
  }

  @Override
  public Path run() {
    return run;
  }

  @Override
  public PolicyMeta meta() {
    return meta;
  }

  @Override
  public ObservationLayout layout() {
    return layout;
  }

  @Override
  public double ensembleDecay() {
    return spec.ensembleDecay();
  }

  @Override
  public int actionSteps() {
    return spec.actionSteps();
  }

  /**
   * What turns a head-camera frame into this policy's image input ([3, H, W] channels first, RGB,
   * scaled to [0, 1] for float32, 0-255 for uint8); null without an image input.
   */
  public ImageEncoder imageInput(int cameraSize) {
    TorchScriptSpec.Image im = spec.image();
    if (im == null) {
      return null;
    }
    if (im.width() != cameraSize) {
      throw new InputException("policy " + run + " takes " + im.width() + "x" + im.height()
          + " head-camera images; this robot's camera is " + cameraSize + " pixels wide");
    }
    return new CameraInput(im);
  }

  /**
   * One chunk in joint units. A chunk with a non-finite value is replaced by holding the current
   * position (the supervisor would refuse it anyway), and logged.
   */
  @Override
  public synchronized void predict(float[] q, float[] dq, ObservationLayout.QHistory past, float[] imageInput,
      float[] chunkOut) {
    float[] raw = forwardRaw(q, imageInput);
    int a = spec.actionNames().size();
    boolean finite = true;
    for (int k = 0; k < raw.length; k++) {
      float v = spec.action().unnormalize(raw[k], k % a);
      finite &= Float.isFinite(v);
      chunkOut[k] = v;
    }
    if (!finite) {
      if (nonFinite++ % 1000 == 0) {
        LOG.warn("policy {}: non-finite action chunk ({} so far); holding position", run, nonFinite);
      }
      for (int k = 0; k < raw.length; k++) {
        chunkOut[k] = q[k % a];
      }
    }
  }

  /** The module's own output (normalized actions, T x A flattened) for raw joint positions and image input. */
  public synchronized float[] forwardRaw(float[] q, float[] imageInput) {
    for (int i = 0; i < state.length; i++) {
      state[i] = spec.state().normalize(q[i], i);
    }
    try (NDManager sub = model.getNDManager().newSubManager()) {
      NDList in = new NDList(sub.create(state, new Shape(1, state.length)));
      TorchScriptSpec.Image im = spec.image();
      if (im != null) {
        if (imageInput == null) {
          throw new IllegalArgumentException("policy " + run + " needs a head-camera image");
        }
        Shape shape = new Shape(1, 3, im.height(), im.width());
        int plane = im.height() * im.width();
        if (im.uint8()) {
          for (int k = 0; k < imageBytes.length; k++) {
            imageBytes[k] = (byte) Math.round(imageInput[k]);
          }
          in.add(sub.create(ByteBuffer.wrap(imageBytes), shape, DataType.UINT8));
        } else {
          for (int k = 0; k < image.length; k++) {
            image[k] = spec.imageNorm().normalize(imageInput[k], k / plane);
          }
          in.add(sub.create(image, shape));
        }
      }
      NDList out = block.forward(new ParameterStore(sub, false), in, false);
      return output(out);
    }
  }

  private float[] output(NDList out) {
    if (out.size() != 1) {
      throw new InputException("model " + shownAs + " returns " + out.size() + " tensors; the contract is one action chunk");
    }
    NDArray y = out.head();
    long[] s = y.getShape().getShape();
    int t = spec.chunk();
    int a = spec.actionNames().size();
    boolean ok = (s.length == 3 && s[0] == 1 && s[1] == t && s[2] == a) || (s.length == 2 && s[0] == t && s[1] == a);
    if (!ok) {
      throw new InputException("model " + shownAs + " returns an output of shape " + Arrays.toString(s)
          + "; the spec says [" + t + ", " + a + "] (or [1, " + t + ", " + a + "])");
    }
    if (y.getDataType() != DataType.FLOAT32) {
      y = y.toType(DataType.FLOAT32, false);
    }
    return y.toFloatArray();
  }

  @Override
  public void close() {
    model.close();
  }

  /** The head-camera frame as the model's image tensor. */
  private record CameraInput(TorchScriptSpec.Image im) implements ImageEncoder {
    @Override
    public String id() {
      return "torchscript:" + im.key() + ":3x" + im.height() + "x" + im.width() + (im.uint8() ? ":uint8" : ":float32");
    }

    @Override
    public FeatureShape shape() {
      return new FeatureShape(3, im.height(), im.width());
    }

    @Override
    public float[] encode(byte[] rgb, int width, int height) {
      if (width != im.width() || height != im.height()) {
        throw new InputException("camera frame " + width + "x" + height + ": the policy takes " + im.width() + "x"
            + im.height());
      }
      int plane = width * height;
      float scale = im.uint8() ? 1f : 1f / 255f;
      float[] out = new float[3 * plane];
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          out[c * plane + p] = (rgb[3 * p + c] & 0xff) * scale;
        }
      }
      return out;
    }
  }
}
