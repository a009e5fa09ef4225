package io.optimus.policy.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.optimus.common.InputException;
import io.optimus.perception.DjlRuntime;
import io.optimus.policy.act.ActConfig;
import io.optimus.policy.data.ObservationLayout;
import io.optimus.policy.encode.FeatureShape;
import io.optimus.policy.mlp.MlpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each family's network predicts a chunk, and saved weights load back into the same predictions. */
class PolicyModelTest {
  static final ObservationLayout LAYOUT = new ObservationLayout(3, 1, true, 4, new FeatureShape(2, 3, 3));

  @TempDir Path tmp;

  @Test
  void everyFamilyPredictsAChunkAndReloadsItsWeightsExactly() throws Exception {
    Keypoints two = new Keypoints(2, 10, Keypoints.SCALE);
    for (ModelConfig config : List.of(new ActConfig(8, 2, 1, 16, Keypoints.NONE), new ActConfig(8, 2, 1, 16, two),
        new MlpConfig(16, 2, true, Keypoints.NONE), new MlpConfig(16, 2, true, two), new MlpConfig(16, 1, false, two))) {
      Random r = new Random(1);
      float[] state = new float[2 * LAYOUT.stateSize()];
      float[] features = new float[2 * LAYOUT.featureSize()];
      for (int i = 0; i < state.length; i++) {
        state[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) r.nextGaussian();
      }
      Path file = tmp.resolve(config + ".params");
      try (NDManager m = DjlRuntime.engine().newBaseManager()) {
        DjlRuntime.engine().setRandomSeed(3);
        PolicyModel trained = config.create(LAYOUT, m);
        float[] before = trained.predict(m, state, features, 2);
        assertEquals(2 * LAYOUT.actionSize(), before.length, config.toString());
        trained.save(file);
        DjlRuntime.engine().setRandomSeed(4); // other initial weights, replaced by the file's
        PolicyModel loaded = config.create(LAYOUT, m).load(file, m);
        assertArrayEquals(before, loaded.predict(m, state, features, 2), config.toString());
      }
    }
  }

  @Test
  void weightsOfAnotherArchitectureAreRefusedNamingTheFile() throws Exception {
    Path file = tmp.resolve("act.params");
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      new ActConfig(8, 2, 1, 16, Keypoints.NONE).create(LAYOUT, m).save(file);
      PolicyModel mlp = new MlpConfig(16, 2, true, Keypoints.NONE).create(LAYOUT, m);
      Exception e = assertThrows(Exception.class, () -> mlp.load(file, m));
      assertTrue(e instanceof InputException && e.getMessage().contains("act.params"), e.toString());
      Files.write(file, new byte[] {1, 2, 3});
      Exception garbage = assertThrows(Exception.class, () -> mlp.load(file, m));
      assertTrue(garbage instanceof InputException && garbage.getMessage().contains("act.params"), garbage.toString());
    }
  }
}
