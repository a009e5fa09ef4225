package io.optimus.policy.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optimus.common.InputException;
import io.optimus.common.Json;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.record.EpisodeFrame;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.eval.PolicyEvaluator;
import io.optimus.policy.runtime.LearnedPolicy;
import io.optimus.proto.v1.JointInfo;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.RobotDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy traced by the real PyTorch (an MLP over the state and a small CNN over the head image, seeded
 * random weights) imported, compared with torch's own output, and run in closed loop in the simulated
 * world; and every kind of bad input refused with one line and no run left behind.
 */
class TorchScriptImportTest {
  static final int CHUNK = 10;
  @TempDir static Path dir;
  static Path traced;
  static RobotRig rig;
  static RobotDescription robot;
  static List<String> joints;

  @BeforeAll
  static void trace() throws Exception {
    TracedPolicies.python();
    rig = PolicyEvaluator.rig("optimus");
    robot = rig.describe("import-test", 250, 10);
    joints = robot.getJointsList().stream().map(JointInfo::getName).toList();
    double[] home = rig.home();
    float[] mean = new float[joints.size()];
    float[] std = new float[joints.size()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) home[i];
      std[i] = 0.1f;
    }
    Path stats = TracedPolicies.stats(dir.resolve("stats-in.json"), mean, std, mean, std);
    traced = TracedPolicies.trace(dir.resolve("traced"), List.of("--joints", String.join(",", joints), "--stats",
        stats.toString(), "--chunk", Integer.toString(CHUNK), "--image", rig.cameraHeight() + "x" + rig.cameraWidth(),
        "--image-stats", "--seed", "3"));
  }

  static TorchScriptImport.Result importInto(Path out) {
    return TorchScriptImport.run(traced.resolve("model.pt"), traced.resolve("spec.json"), out, robot, "optimus");
  }

  @Test
  void importedPolicyMatchesTorchOnAFixedObservation() throws Exception {
    Path run = dir.resolve("run-fixed");
    long t0 = System.nanoTime();
    TorchScriptImport.Result r = importInto(run);
    double importMs = (System.nanoTime() - t0) / 1e6;
    assertEquals(List.of((long) CHUNK, (long) joints.size()), r.manifest().outputShape());
    assertEquals(List.of(), r.heldJoints());
    JsonNode ref = Json.MAPPER.readTree(traced.resolve("reference.json").toFile());
    float[] q = floats(ref.get("q"));
    // the camera frame as the robot sends it (RGB8, row-major), from torch's CHW image
    int h = rig.cameraHeight();
    int w = rig.cameraWidth();
    float[] chw = floats(ref.get("image_chw_uint8"));
    byte[] rgb = new byte[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < h * w; p++) {
        rgb[3 * p + c] = (byte) chw[c * h * w + p];
      }
    }
    try (TorchScriptPolicy p = TorchScriptPolicy.load(run); ImageEncoder camera = p.imageInput(w)) {
      float[] image = camera.encode(rgb, w, h);
      float[] out = p.forwardRaw(q, image);
      float[] chunk = new float[CHUNK * joints.size()];
      p.predict(q, new float[q.length], k -> q, image, chunk);
      double dOut = maxAbsDiff(floats(ref.get("output")), out);
      double dAct = maxAbsDiff(floats(ref.get("actions")), chunk);
      System.out.printf("torchscript import: %.0f ms (load %.1f ms, forward %.1f ms); Java vs torch %s: max |diff|"
          + " output %.2e, actions %.2e (%d values)%n", importMs, r.manifest().loadMs(), r.manifest().forwardMs(),
          ref.get("torch").asText(), dOut, dAct, out.length);
      assertTrue(dOut <= 1e-5, "model output differs from torch's by " + dOut);
      assertTrue(dAct <= 1e-5, "actions differ from torch's by " + dAct);
      assertTrue(maxAbsDiff(floats(ref.get("output")), new float[out.length]) > 1e-3, "the output is not all zeros");
    }
  }

  @Test
  void minMaxNormalizationIsReadAsLeRobotWritesIt() throws Exception {
    Path stats = traced.resolve("stats.json");
    Path mm = TracedPolicies.trace(dir.resolve("traced-minmax"), List.of("--joints", String.join(",", joints),
        "--stats", stats.toString(), "--chunk", "4", "--norm", "MIN_MAX", "--n-action-steps", "4"));
    Path run = dir.resolve("run-minmax");
    TorchScriptImport.Result r = TorchScriptImport.run(mm.resolve("model.pt"), mm.resolve("spec.json"), run, robot,
        "optimus");
    assertEquals("n_action_steps 4", r.execution());
    JsonNode ref = Json.MAPPER.readTree(mm.resolve("reference.json").toFile());
    float[] q = floats(ref.get("q"));
    try (TorchScriptPolicy p = TorchScriptPolicy.load(run)) {
      assertEquals(TorchScriptSpec.Mode.MIN_MAX, p.spec().state().mode());
      float[] chunk = new float[4 * joints.size()];
      p.predict(q, new float[q.length], k -> q, null, chunk);
      double d = maxAbsDiff(floats(ref.get("actions")), chunk);
      assertTrue(d <= 1e-5, "MIN_MAX actions differ from torch's by " + d);
      assertTrue(maxAbsDiff(floats(ref.get("output")), p.forwardRaw(q, null)) <= 1e-5, "model output");
    }
  }

  @Test
  void runsInClosedLoopThroughTheSafetySupervisor() throws Exception {
    Path run = dir.resolve("run-eval");
    importInto(run);
    Path rec = dir.resolve("rollouts");
    PolicyEvaluator.Report r = PolicyEvaluator.evaluate(run,
        new PolicyEvaluator.Options("optimus", "pick-place", 2, 5, 1.0, true, rec), null);
    System.out.printf("torchscript eval: %d episodes, success %d, %d policy steps, p50 %.2f ms, %d images%n",
        r.episodes(), r.successes(), r.inference().steps(), r.inference().policyStepMsP50(),
        r.inference().imagesEncoded());
    assertEquals(2, r.episodes());
    // 1 s at 50 Hz per episode, each step a forward pass of the TorchScript module
    assertTrue(r.inference().steps() >= 90, "policy steps " + r.inference().steps());
    assertTrue(r.inference().imagesEncoded() >= 10, "head images fed " + r.inference().imagesEncoded());
    List<Path> episodes;
    try (Stream<Path> s = Files.list(rec)) {
      episodes = s.filter(p -> p.toString().endsWith(".mcap")).sorted().toList();
    }
    assertEquals(2, episodes.size());
    int checked = 0;
    double moved = 0;
    for (Path e : episodes) {
      try (EpisodeReader reader = EpisodeReader.open(e)) {
        List<JointInfo> info = reader.header().getRobot().getJointsList();
        double[] first = null;
        for (Iterator<EpisodeFrame> it = reader.frames(Long.MIN_VALUE, Long.MAX_VALUE, List.of(EpisodeTopics.STATE));
            it.hasNext(); ) {
          JointState s = it.next().as(JointState.class);
          double[] c = s.getCommandedPositionList().stream().mapToDouble(Double::doubleValue).toArray();
          assertEquals(info.size(), c.length);
          first = first == null ? c : first;
          for (int i = 0; i < c.length; i++) {
            assertTrue(Double.isFinite(c[i]), "commanded " + info.get(i).getName() + " is " + c[i]);
            var lim = info.get(i).getLimits();
            if (lim.getHasPositionLimits()) {
              assertTrue(c[i] >= lim.getLower() - 1e-9 && c[i] <= lim.getUpper() + 1e-9,
                  info.get(i).getName() + " commanded " + c[i] + " outside [" + lim.getLower() + ", " + lim.getUpper() + "]");
            }
            moved = Math.max(moved, Math.abs(c[i] - first[i]));
          }
          checked++;
        }
      }
    }
    assertTrue(checked >= 400, "state messages checked " + checked);
    assertTrue(moved > 1e-4, "the policy's commands never moved a joint (max change " + moved + ")");
  }

  @Test
  void learnedPolicyLoadsTheImportedRunForDeployment() {
    Path run = dir.resolve("run-deploy");
    importInto(run);
    try (LearnedPolicy p = LearnedPolicy.load(run, joints, rig.cameraWidth(), true, true)) {
      assertEquals(50.0, p.rateHz());
      assertEquals(joints, p.trained().meta().joints().names());
      assertEquals(CHUNK, p.trained().layout().chunk());
    }
    InputException other = assertThrows(InputException.class,
        () -> LearnedPolicy.load(run, joints.subList(1, joints.size()), rig.cameraWidth(), true));
    assertTrue(other.getMessage().contains("which this robot does not have"), other.getMessage());
    InputException camera = assertThrows(InputException.class, () -> LearnedPolicy.load(run, joints, 64, true));
    assertTrue(camera.getMessage().contains("64 pixels wide"), camera.getMessage());
  }

  @Test
  void aChangedModelInTheRunIsRefusedOnLoad() throws Exception {
    Path run = dir.resolve("run-tampered");
    importInto(run);
    Files.write(new TorchScriptRun(run).model(), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    InputException e = assertThrows(InputException.class, () -> TorchScriptPolicy.load(run));
    assertTrue(e.getMessage().contains("not the one imported"), e.getMessage());
  }

  // ---- bad input: one line naming the problem, nothing left that looks like a run

  @Test
  void garbageModel() throws Exception {
    Path bad = dir.resolve("garbage.pt");
    Files.writeString(bad, "this is not a TorchScript archive\n".repeat(100));
    refused(bad, traced.resolve("spec.json"), "model " + bad + ": not a TorchScript module");
  }

  @Test
  void truncatedModel() throws Exception {
    byte[] all = Files.readAllBytes(traced.resolve("model.pt"));
    Path bad = dir.resolve("truncated.pt");
    Files.write(bad, Arrays.copyOf(all, all.length / 2));
    refused(bad, traced.resolve("spec.json"), "model " + bad + ": not a TorchScript module");
  }

  @Test
  void missingAndEmptyModel() throws Exception {
    refused(dir.resolve("nowhere.pt"), traced.resolve("spec.json"), "no such file");
    Path empty = Files.createFile(dir.resolve("empty.pt"));
    refused(empty, traced.resolve("spec.json"), "empty file");
  }

  @Test
  void specShapesTheModelDoesNotTake() throws Exception {
    // one joint fewer everywhere: a consistent spec, but the traced network takes the full state
    refused(spec("fewer", s -> {
      for (JsonNode io : List.of(s.get("inputs").get(0), s.get("output"))) {
        ((ArrayNode) io.get("names")).remove(0);
      }
      ((ArrayNode) s.get("inputs").get(0).get("shape")).set(0, joints.size() - 1);
      ((ArrayNode) s.get("output").get("shape")).set(1, joints.size() - 1);
      s.put("stats", statsWith(st -> {
        for (String k : List.of("observation.state", "action")) {
          for (String f : List.of("mean", "std")) {
            ((ArrayNode) st.get(k).get(f)).remove(0);
          }
        }
      }).toString());
    }), "forward pass fails");
    refused(spec("names", s -> ((ArrayNode) s.get("inputs").get(0).get("shape")).set(0, joints.size() + 1)),
        "joint names for a shape of " + (joints.size() + 1));
    refused(spec("image", s -> ((ArrayNode) s.get("inputs").get(1).get("shape")).set(1, 64)), "camera gives 96x96");
    refused(spec("rank", s -> ((ArrayNode) s.get("inputs").get(1).get("shape")).remove(0)), "must have 3 dimensions");
  }

  @Test
  void outputShapeMismatch() throws Exception {
    refused(spec("chunk", s -> ((ArrayNode) s.get("output").get("shape")).set(0, CHUNK + 1)),
        "model " + traced.resolve("model.pt") + " returns an output of shape [1, " + CHUNK + ", " + joints.size() + "]; the spec says [" + (CHUNK + 1));
  }

  @Test
  void nanInStats() throws Exception {
    Path stats = Files.writeString(dir.resolve("nan-stats.json"),
        Files.readString(traced.resolve("stats.json")).replaceFirst("\"std\": \\[[^,]*,", "\"std\": [NaN,"));
    refused(spec("nan", s -> s.put("stats", stats.toString())), "std[0] = NaN is not a finite number");
    refused(spec("zero", s -> s.put("stats", statsWith(st -> ((ArrayNode) st.get("action").get("std")).set(2, 0.0))
        .toString())), "stats.action.std[2] = 0.0 is not a positive number");
    refused(spec("nomode", s -> ((ObjectNode) s.get("normalization")).remove("action")), "normalization.action is missing");
  }

  @Test
  void jointsTheRobotDoesNotHave() throws Exception {
    refused(spec("joint", s -> {
      for (JsonNode io : List.of(s.get("inputs").get(0), s.get("output"))) {
        ((ArrayNode) io.get("names")).set(0, "tail_joint");
      }
    }), "joint 'tail_joint' is not a joint of robot");
    refused(spec("order", s -> ((ArrayNode) s.get("output").get("names")).set(0, joints.get(1))), "names joint");
  }

  @Test
  void unwritableOrOccupiedOut() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    InputException e = assertThrows(InputException.class, () -> importInto(file.resolve("run")));
    assertTrue(e.getMessage().startsWith("--out " + file.resolve("run") + ": cannot write there"), e.getMessage());
    Path full = Files.createDirectories(dir.resolve("occupied"));
    Files.writeString(full.resolve("keep.txt"), "mine");
    e = assertThrows(InputException.class, () -> importInto(full));
    assertTrue(e.getMessage().contains("already exists and is not an empty directory"), e.getMessage());
    assertEquals("mine", Files.readString(full.resolve("keep.txt")));
  }

  @Test
  void hugeAndGarbageSpec() throws Exception {
    Path huge = dir.resolve("huge.json");
    try (var out = Files.newBufferedWriter(huge)) {
      out.write("{\"pad\": \"");
      for (int i = 0; i < 3 << 20; i += 64) {
        out.write("x".repeat(64));
      }
      out.write("\"}");
    }
    refused(traced.resolve("model.pt"), huge, "over the 1048576-byte limit");
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"inputs\": [");
    refused(traced.resolve("model.pt"), garbage, "not valid JSON");
    Path notSpec = Files.write(dir.resolve("binary.json"), new byte[] {0, 1, 2, (byte) 0xff});
    refused(traced.resolve("model.pt"), notSpec, "spec " + notSpec);
  }

  private static Path spec(String name, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode s = (ObjectNode) Json.MAPPER.readTree(traced.resolve("spec.json").toFile());
    s.put("stats", traced.resolve("stats.json").toString());
    edit.accept(s);
    Path p = dir.resolve("spec-" + name + ".json");
    Files.writeString(p, Json.write(s));
    return p;
  }

  private static Path statsWith(Consumer<ObjectNode> edit) {
    try {
      ObjectNode st = (ObjectNode) Json.MAPPER.readTree(traced.resolve("stats.json").toFile());
      edit.accept(st);
      Path p = Files.createTempFile(dir, "stats-", ".json");
      Files.writeString(p, Json.write(st));
      return p;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void refused(Path spec, String expected) throws Exception {
    refused(traced.resolve("model.pt"), spec, expected);
  }

  private static void refused(Path model, Path spec, String expected) throws Exception {
    Path parent = Files.createDirectories(dir.resolve("refused"));
    Path out = parent.resolve("run");
    InputException e = assertThrows(InputException.class,
        () -> TorchScriptImport.run(model, spec, out, robot, "optimus"));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(Files.exists(out), "no run left at " + out);
    try (Stream<Path> s = Files.list(parent)) {
      assertEquals(List.of(), s.toList(), "nothing half-written left in " + parent);
    }
  }

  static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i).asDouble();
    }
    return f;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
