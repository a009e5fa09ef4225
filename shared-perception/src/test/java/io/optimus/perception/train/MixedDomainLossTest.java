package io.optimus.perception.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.optimus.perception.net.BackboneConfig;
import io.optimus.perception.net.HydraHeads;
import io.optimus.perception.scene.LabelledImage;
import io.optimus.perception.scene.SceneGenerator;
import io.optimus.perception.scene.TabletopViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each head's loss sees only its own domain's samples: the other domain's heads get exactly no gradient. */
class MixedDomainLossTest {
  static final int SIZE = 64;

  /** Sum of |gradient| per head block after one backward pass on {@code batch}. */
  static Map<String, Double> headGradients(List<? extends LabelledImage> batch) {
    try (HydraModel model = HydraModel.create(new BackboneConfig(18, 8, 8), 2);
        Trainer trainer = model.model().newTrainer(new DefaultTrainingConfig(new HydraLoss())
            .optDevices(new Device[] {Device.cpu()}))) {
      trainer.initialize(new Shape(batch.size(), 3, SIZE, SIZE));
      TrainingBatch tb = TrainingBatch.of(batch);
      Map<String, Double> sums = new java.util.LinkedHashMap<>();
      try (NDManager m = trainer.getManager().newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
        NDList c = new HydraLoss().components(tb.labels(m), trainer.forward(new NDList(tb.images(m))));
        NDArray total = HydraLoss.total(c);
        assertTrue(Float.isFinite(total.getFloat()), "finite loss");
        double[] values = new double[c.size()];
        for (int k = 0; k < c.size(); k++) {
          values[k] = c.get(k).getFloat();
        }
        
        gc.backward(total);
        for (Pair<String, Parameter> p : model.net().heads().getParameters()) {
          String head = p.getKey().replaceFirst("^\\d+", "").replaceFirst("_.*", "");
          double g = p.getValue().getArray().getGradient().abs().sum().getFloat();
          sums.merge(head, g, Double::sum);
        }
        for (int k = 0; k < values.length; k++) {
          sums.put("loss:" + HydraHeads.NAMES.get(k), values[k]);
        }
      }
      return sums;
    }
  }

  @Test
  void aRobotOnlyBatchLeavesEveryVehicleHeadsGradientZero() {
    Map<String, Double> g = headGradients(new TabletopViews().views(4, SIZE, 1));
    for (int h : HydraHeads.VEHICLE_HEADS) {
      String name = HydraHeads.NAMES.get(h);
      assertEquals(0.0, g.get(name), 0.0, name + " gradient");
      assertEquals(0.0, g.get("loss:" + name), 0.0, name + " loss");
    }
    for (int h : HydraHeads.ROBOT_HEADS) {
      String name = HydraHeads.NAMES.get(h);
      assertTrue(g.get(name) > 0, name + " gradient: " + g.get(name));
      assertTrue(g.get("loss:" + name) > 0, name + " loss");
    }
  }

  @Test
  void aVehicleOnlyBatchLeavesEveryRobotHeadsGradientZeroAndAMixedBatchTrainsAllHeads() {
    SceneGenerator gen = new SceneGenerator(SIZE, SIZE, 4);
    List<LabelledImage> vehicle = List.of(gen.scene(0), gen.scene(1), gen.scene(2));
    Map<String, Double> g = headGradients(vehicle);
    for (int h : HydraHeads.ROBOT_HEADS) {
      assertEquals(0.0, g.get(HydraHeads.NAMES.get(h)), HydraHeads.NAMES.get(h));
    }
    for (int h : HydraHeads.VEHICLE_HEADS) {
      assertTrue(g.get(HydraHeads.NAMES.get(h)) > 0, HydraHeads.NAMES.get(h));
    }
    List<LabelledImage> mixed = new ArrayList<>(vehicle);
    mixed.addAll(new TabletopViews().views(3, SIZE, 2));
    Map<String, Double> both = headGradients(mixed);
    for (String name : HydraHeads.NAMES) {
      assertTrue(both.get(name) > 0, name + " trains on a mixed batch");
    }
  }
}
