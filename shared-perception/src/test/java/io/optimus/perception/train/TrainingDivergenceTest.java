package io.optimus.perception.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.scene.DrivingScene;
import io.optimus.perception.scene.SceneGenerator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A non-finite loss stops training at the step that produced it, before any weight changes. */
class TrainingDivergenceTest {
  @Test
  void anInfiniteLabelStopsTrainingAtItsStepWithTheWeightsUntouched() {
    SceneGenerator gen = new SceneGenerator(64, 64, 5);
    DrivingScene ok = gen.scene(0);
    DrivingScene s = gen.scene(1);
    float[] depth = new float[s.depth().length];
    Arrays.fill(depth, Float.POSITIVE_INFINITY); // a broken labeller
    DrivingScene broken = new DrivingScene(s.width(), s.height(), s.rgb(), s.segmentation(), depth, s.vehicles());
    TrainOptions options = new TrainOptions(2, 1, 2, 64, 1e-3f, 5L, false);
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 5)) {
      float[] before = model.net().getParameters().get(0).getValue().getArray().toFloatArray();
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> new HydraTrainer(options, TrainingProgress.NONE).train(model, List.of(ok, broken),
              List.of(gen.scene(2)), 0, null));
      assertEquals(1, e.step());
      assertEquals("training diverged at step 1 (epoch 1): loss is Infinity; try a smaller --lr", e.getMessage());
      assertArrayEquals(before, model.net().getParameters().get(0).getValue().getArray().toFloatArray(),
          "no update was applied");
    }
  }

  @Test
  void aBrokenRobotLabelInAMixedBatchStopsTrainingNamingTheStep() {
    SceneGenerator gen = new SceneGenerator(64, 64, 5);
    io.optimus.perception.scene.RobotView r = new io.optimus.perception.scene.TabletopViews().views(1, 64, 3).get(0);
    float[] depth = r.depth().clone();
    depth[100] = Float.POSITIVE_INFINITY; // a labeller that broke on one pixel
    io.optimus.perception.scene.RobotView broken = new io.optimus.perception.scene.RobotView(r.camera(), 64, 64, r.rgb(),
        r.segmentation(), depth, r.centres());
    TrainOptions options = new TrainOptions(2, 1, 2, 64, 1e-3f, 5L, false);
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 5)) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> new HydraTrainer(options, TrainingProgress.NONE).train(model, List.of(gen.scene(0), broken),
              List.of(gen.scene(2)), 0, null));
      assertEquals(1, e.step());
      assertEquals("training diverged at step 1 (epoch 1): loss is Infinity; try a smaller --lr", e.getMessage());
    }
  }
}
