package io.optimus.policy.torchscript;

import io.optimus.common.FileTrees;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.JointLayout;
import io.optimus.policy.encode.FeatureShape;
import io.optimus.proto.v1.CameraInfo;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.RobotDescription;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a traced PyTorch policy and its spec.json into a self-contained run directory that
 * {@code policy eval} and {@code policy deploy} load: checks the joints against the robot, loads the
 * model, runs one forward pass on a mid-range observation (output shape, no NaN), and copies the
 * model, the spec (statistics inline) and a manifest with the model's hash into OUT. Everything is
 * written into a hidden sibling directory first and renamed to OUT only when complete, so a failed
 * import leaves nothing that looks like a run.
 */
public final class TorchScriptImport {
  /** TorchScript policies LeRobot trains are up to a few hundred MB; this bounds a mistaken argument. */
  static final long MAX_MODEL_BYTES = 4L << 30;

  /** What {@code optimus policy import} prints. */
  public record Result(String run, String robot, int stateSize, int chunk, int joints, String image, double fps,
      String execution, List<String> heldJoints, TorchScriptManifest manifest) {}

  private TorchScriptImport() {}

  /**
   * @param robot the robot the policy is checked against (joint names, head camera size)
   * @param robotName how the user named it (for the manifest)
   */
  public static Result run(Path model, Path specFile, Path out, RobotDescription robot, String robotName) {
    checkModelFile(model);
    TorchScriptSpec spec = TorchScriptSpec.load(specFile);
    List<String> held = checkRobot(spec, robot, specFile);
    checkOut(out);
    Path parent = out.toAbsolutePath().getParent();
    Path tmp;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".importing-");
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // a temporary directory is private (rwx------); the run is an ordinary directory once renamed
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new InputException("--out " + out + ": cannot write there (" + why(e) + ")");
    }
    try {
      TorchScriptRun files = new TorchScriptRun(tmp);
      copy(model, files.model());
      write(files.spec(), Json.write(spec.toJson()));
      PolicyMeta meta = meta(spec, robot);
      write(new RunFiles(tmp).meta(), Json.write(meta));
      io.optimus.perception.DjlRuntime.engine(); // started before the clock: loadMs is the model's own
      long t0 = System.nanoTime();
      double loadMs;
      double forwardMs;
      List<Long> shape;
      try (TorchScriptPolicy p = TorchScriptPolicy.open(out, files.model(), model, spec, meta)) {
        loadMs = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        float[] raw = dummyForward(p, spec, model);
        forwardMs = (System.nanoTime() - t1) / 1e6;
        shape = List.of((long) spec.chunk(), (long) spec.actionNames().size());
        checkFinite(raw, spec, model);
      }
      TorchScriptManifest manifest = new TorchScriptManifest(TorchScriptRun.FORMAT,
          TorchScriptManifest.sha256(files.model()), Files.size(files.model()), model.toAbsolutePath().toString(),
          robotName, shape, round(loadMs), round(forwardMs), Instant.now().toString());
      manifest.save(files.manifest());
      if (Files.isDirectory(out)) {
        Files.delete(out); // checked empty above
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      String image = spec.image() == null ? null : spec.image().key() + " 3x" + spec.image().height() + "x"
          + spec.image().width() + (spec.image().uint8() ? " uint8" : " float32");
      String exec = spec.actionSteps() > 0 ? "n_action_steps " + spec.actionSteps()
          : "temporal ensemble, decay " + spec.ensembleDecay();
      return new Result(out.toString(), robotName, spec.stateSize(), spec.chunk(), spec.actionNames().size(), image,
          spec.fps(), exec, held, manifest);
    } catch (IOException e) {
      throw new InputException("--out " + out + ": cannot write the run (" + why(e) + ")");
    } finally {
      FileTrees.deleteQuietly(tmp); // best effort: a hidden .importing- directory is never taken for a run
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }

  private static String why(IOException e) {
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + ": " + f.getFile();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static void checkModelFile(Path model) {
    try {
      if (!Files.isRegularFile(model)) {
        throw new InputException("--torchscript " + model + ": no such file");
      }
      long size = Files.size(model);
      if (size == 0) {
        throw new InputException("--torchscript " + model + ": empty file");
      }
      if (size > MAX_MODEL_BYTES) {
        throw new InputException("--torchscript " + model + ": " + size + " bytes is over the " + MAX_MODEL_BYTES
            + "-byte limit");
      }
      if (!Files.isReadable(model)) {
        throw new InputException("--torchscript " + model + ": not readable");
      }
    } catch (IOException e) {
      throw new InputException("--torchscript " + model + ": cannot read (" + why(e) + ")");
    }
  }

  /** Every joint the spec names must be the robot's; returns the robot's joints the policy leaves alone. */
  static List<String> checkRobot(TorchScriptSpec spec, RobotDescription robot, Path specFile) {
    List<String> robotJoints = robot.getJointsList().stream().map(JointInfo::getName).toList();
    for (String j : spec.actionNames()) {
      if (!robotJoints.contains(j)) {
        throw new InputException("spec " + specFile + ": joint '" + j + "' is not a joint of robot "
            + robot.getModelName() + " (its joints: " + abbreviate(robotJoints) + ")");
      }
    }
    if (spec.image() != null) {
      CameraInfo cam = robot.getCamerasList().stream().filter(c -> c.getName().equals(spec.image().camera()))
          .findFirst().orElseThrow(() -> new InputException("spec " + specFile + ": robot " + robot.getModelName()
              + " has no " + spec.image().camera() + " camera"));
      if (cam.getWidth() != spec.image().width() || cam.getHeight() != spec.image().height()) {
        throw new InputException("spec " + specFile + ": " + spec.image().key() + " is 3x" + spec.image().height() + "x"
            + spec.image().width() + ", robot " + robot.getModelName() + "'s " + cam.getName() + " camera gives "
            + cam.getHeight() + "x" + cam.getWidth() + " (height x width)");
      }
    }
    List<String> held = new ArrayList<>(robotJoints);
    held.removeAll(spec.actionNames());
    return held;
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 8 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 8)) + ", ... " + names.size() + " in all";
  }

  private static void checkOut(Path out) {
    if (Files.exists(out)) {
      boolean empty;
      try (Stream<Path> s = Files.isDirectory(out) ? Files.list(out) : null) {
        empty = s != null && s.findAny().isEmpty();
      } catch (IOException e) {
        throw new InputException("--out " + out + ": cannot read (" + why(e) + ")");
      }
      if (!empty) {
        throw new InputException("--out " + out + ": already exists and is not an empty directory");
      }
    }
  }

  static PolicyMeta meta(TorchScriptSpec spec, RobotDescription robot) {
    List<String> groups = spec.actionNames().stream().map(n -> robot.getJointsList().stream()
        .filter(j -> j.getName().equals(n)).findFirst().map(JointInfo::getGroup).orElse("")).toList();
    FeatureShape fs = spec.image() == null ? null : new FeatureShape(3, spec.image().height(), spec.image().width());
    String encoder = spec.image() == null ? "none" : "torchscript:" + spec.image().key();
    return new PolicyMeta("torchscript", new JointLayout(spec.actionNames(), groups), fs, encoder, spec.fps(), 0,
        false, spec.chunk(), List.of(), List.of());
  }

  /** One forward pass on the middle of the training distribution (normalized 0) and a grey image. */
  private static float[] dummyForward(TorchScriptPolicy p, TorchScriptSpec spec, Path model) {
    try {
      return p.forwardRaw(p.midState(), p.midImage());
    } catch (ai.djl.engine.EngineException e) {
      throw new InputException("model " + model + ": its forward pass fails on inputs of the spec's shapes: "
          + TorchScriptPolicy.firstLine(e));
    }
  }

  private static void checkFinite(float[] raw, TorchScriptSpec spec, Path model) {
    int a = spec.actionNames().size();
    for (int k = 0; k < raw.length; k++) {
      if (!Float.isFinite(raw[k]) || !Float.isFinite(spec.action().unnormalize(raw[k], k % a))) {
        throw new InputException("model " + model + ": action[" + k / a + "][" + k % a + "] is " + raw[k]
            + " for a mid-range observation");
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try {
      Files.copy(from, to);
    } catch (IOException e) {
      throw new InputException("--torchscript " + from + ": cannot copy into the run (" + why(e) + ")");
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text);
  }
}
