package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.policy.PolicyMeta;
import io.optimus.policy.RunFiles;
import io.optimus.policy.data.SyntheticReaching;
import io.optimus.policy.encode.ImageEncoder;
import io.optimus.policy.runtime.RunEncoders;
import io.optimus.policy.runtime.TrainedPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole training run as the CLI, the demo and the bench start it: dataset in, deployable run directory out. */
class TrainingRunTest {
  @TempDir Path tmp;

  @Test
  void aScratchBackboneRunKeepsItsEncoderAndResumesWhereItStopped() throws Exception {
    RunConfig config = new RunConfig(TestConfigs.policy("act").encoder("backbone:scratch", 16).build(),
        TestConfigs.train(6).evalEvery(3).checkpointEvery(3).build());
    Path run = tmp.resolve("run");
    TrainingReport first = new TrainingRun("synthetic:4", config, run).run();
    assertEquals(6, first.steps());
    RunFiles files = new RunFiles(run);
    assertTrue(Files.isRegularFile(files.encoderDir().resolve("backbone.json")), "the run keeps its encoder");
    PolicyMeta meta = PolicyMeta.load(files.meta());
    // the saved encoder is the one the features were made with: it reopens under the same id
    try (ImageEncoder e = RunEncoders.open(run, meta, 96); TrainedPolicy p = TrainedPolicy.load(run)) {
      assertNotNull(e);
      assertEquals(meta.encoderId(), e.id());
      assertEquals(e.shape(), p.layout().featureShape());
      assertEquals(SyntheticReaching.JOINTS, p.layout().joints());
    }
    InputException fresh = assertThrows(InputException.class, () -> new TrainingRun("synthetic:4", config, run).run());
    assertTrue(fresh.getMessage().contains("not empty"), fresh.getMessage());
    TrainingReport resumed = new TrainingRun("synthetic:4", config.withSteps(9), run).resumeIfCheckpointed().run();
    assertEquals(6, resumed.resumedFromStep());
    assertEquals(9, resumed.steps());
  }

  @Test
  void aBadDatasetIsNamedBeforeAnythingIsWritten() {
    Path run = tmp.resolve("never");
    InputException e = assertThrows(InputException.class,
        () -> new TrainingRun(tmp.resolve("absent").toString(), TestConfigs.tiny("mlp", 2), run).run());
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
    assertTrue(!Files.exists(run), "nothing written");
  }
}
