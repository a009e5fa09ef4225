package io.optimus.policy.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.optimus.common.Json;
import io.optimus.perception.DjlRuntime;
import io.optimus.policy.PolicyConfig;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.DemoSet;
import io.optimus.policy.data.EpisodeData;
import io.optimus.policy.data.Normalizer;
import io.optimus.policy.data.RecordedDemos;
import io.optimus.policy.eval.OptimusPolicyFixture;
import io.optimus.policy.model.PolicyModel;
import io.optimus.policy.runtime.TrainedPolicy;
import io.optimus.policy.train.PolicyTrainer;
import io.optimus.policy.train.RunConfig;
import io.optimus.policy.train.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same policy on both sides of the contract: an MLP trained here with DJL on recorded
 * demonstrations, its weights and normalizer exported, rebuilt and traced in PyTorch by
 * trace_policy.py, imported back; on recorded observations (and the same perturbed) the imported
 * TorchScript policy's action chunks equal the DJL policy's within 1e-4 rad. Both read state names, normalization (mean/std) and
 * the [T, A] chunk layout the same way.
 */
class MlpParityTest {
  @TempDir Path dir;

  @Test
  void importedTraceOfOurMlpActsLikeTheDjlPolicy() throws Exception {
    TracedPolicies.python();
    OptimusPolicyFixture fx = OptimusPolicyFixture.get();
    DemoSet set = RecordedDemos.load(fx.demos, null, null, null);
    Path run = dir.resolve("mlp");
    new PolicyTrainer(null).train(set, new RunConfig(TestConfigs.policy("mlp").chunk(8).build(),
        TestConfigs.train(100).build()), run, false);

    RunFiles files = new RunFiles(run);
    PolicyConfig config = PolicyConfig.loadRun(files.config());
    PolicyMeta meta = PolicyMeta.load(files.meta());
    Normalizer norm = Normalizer.load(files.normalizer(), meta.joints().size(), 0);
    Path weights = dir.resolve("weights.json");
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      PolicyModel model = config.model().create(meta.layout(), m).load(files.params(), m);
      List<Map<String, Object>> layers = new ArrayList<>();
      Map<String, Object> layer = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : model.getParameters()) {
        var a = p.getValue().getArray();
        if (p.getValue().getType() == Parameter.Type.WEIGHT) {
          long[] s = a.getShape().getShape();
          float[] flat = a.toFloatArray();
          float[][] w = new float[(int) s[0]][(int) s[1]];
          for (int r = 0; r < s[0]; r++) {
            System.arraycopy(flat, (int) (r * s[1]), w[r], 0, (int) s[1]);
          }
          layer.put("weight", w);
        } else {
          layer.put("bias", a.toFloatArray());
          layers.add(layer);
          layer = new LinkedHashMap<>();
        }
      }
      assertEquals(TestConfigs.TINY_MLP.layers() + 1, layers.size(), "Linear layers of the MLP");
      Files.writeString(weights, Json.write(Map.of("layers", layers)));
    }
    Path stats = TracedPolicies.stats(dir.resolve("stats.json"), norm.qMean(), norm.qStd(), norm.actionMean(),
        norm.actionStd());
    Path traced = TracedPolicies.trace(dir.resolve("traced"), List.of("--joints",
        String.join(",", meta.joints().names()), "--stats", stats.toString(), "--chunk", "8", "--mlp-weights",
        weights.toString(), "--fps", Double.toString(meta.rateHz())));
    Path imported = dir.resolve("imported");
    TorchScriptImport.run(traced.resolve("model.pt"), traced.resolve("spec.json"), imported,
        fx.rig.describe("parity", 250, 10), "optimus");

    double worst = 0;
    int compared = 0;
    float[] lo = null;
    float[] hi = null;
    try (TrainedPolicy djl = TrainedPolicy.load(run); TorchScriptPolicy ts = TorchScriptPolicy.load(imported)) {
      int size = 8 * meta.joints().size();
      float[] a = new float[size];
      float[] b = new float[size];
      lo = new float[size];
      hi = new float[size];
      java.util.Arrays.fill(lo, Float.MAX_VALUE);
      java.util.Arrays.fill(hi, -Float.MAX_VALUE);
      java.util.SplittableRandom noise = new java.util.SplittableRandom(7);
      for (EpisodeData e : set.episodes()) {
        for (int t = 0; t < e.length(); t += 7) {
          // the recorded observation, and the same one moved by up to 2 standard deviations per joint
          // (the MLP is flat over much of the recorded data; off it, every weight shows)
          float[] q = t % 2 == 0 ? e.q()[t] : e.q()[t].clone();
          if (t % 2 == 1) {
            for (int i = 0; i < q.length; i++) {
              q[i] += (float) (noise.nextDouble(-2, 2) * norm.qStd()[i]);
            }
          }
          djl.predict(q, e.dq()[t], k -> q, null, a);
          ts.predict(q, e.dq()[t], k -> q, null, b);
          for (int k = 0; k < size; k++) {
            worst = Math.max(worst, Math.abs(a[k] - b[k]));
          }
          for (int k = 0; k < size; k++) {
            lo[k] = Math.min(lo[k], b[k]);
            hi[k] = Math.max(hi[k], b[k]);
          }
          compared++;
        }
      }
    }
    System.out.printf("MLP parity: %d observations (recorded, half of them perturbed), max |DJL - TorchScript| %.2e rad%n",
        compared, worst);
    assertTrue(compared >= 50, "observations compared " + compared);
    double range = 0;
    for (int k = 0; k < lo.length; k++) {
      range = Math.max(range, hi[k] - lo[k]);
    }
    System.out.printf("MLP parity: targets move by up to %.3f rad across the observations%n", range);
    assertTrue(range > 1e-2, "the policy's targets move with the observation (range " + range + " rad)");
    assertTrue(worst <= 1e-4, "the imported trace differs from the DJL policy by " + worst + " rad");
  }
}
