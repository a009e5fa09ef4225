package io.optimus.policy.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import io.optimus.perception.scene.RobotView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's labelled robot frames: every camera, every class, centres on their objects. */
class SimRobotViewsTest {
  @Test
  void framesOfEveryCameraShowObjectsAndHandsWithCentresOnObjectPixels() {
    List<RobotView> views = new SimRobotViews("optimus").views(60, 64, 3);
    assertEquals(60, views.size());
    assertEquals(List.of("head", "left_wrist", "right_wrist"), views.stream().map(RobotView::camera).distinct().toList());
    int withObject = 0;
    int withHand = 0;
    int centres = 0;
    for (RobotView v : views) {
      assertEquals(64, v.width());
      int object = 0;
      int hand = 0;
      for (byte s : v.segmentation()) {
        object += s == RobotView.OBJECT ? 1 : 0;
        hand += s == RobotView.HAND ? 1 : 0;
      }
      withObject += object > 0 ? 1 : 0;
      withHand += hand > 0 ? 1 : 0;
      for (RobotView.Centre c : v.centres()) {
        centres++;
        assertTrue(c.radius() > 0);
        assertTrue(c.u() >= 0 && c.u() < 64 && c.v() >= 0 && c.v() < 64, "centre in the image");
      }
    }
    System.out.printf("sim robot views: %d/60 with objects, %d/60 with hands, %d centres%n", withObject, withHand,
        centres);
    assertTrue(withObject >= 15, "frames with an object: " + withObject);
    assertTrue(withHand >= 15, "frames with a hand: " + withHand);
    assertTrue(centres >= withObject / 2, "centres: " + centres);
    // a pure function of the seed
    RobotView again = new SimRobotViews("optimus").views(5, 64, 3).get(4);
    assertArrayEquals(views.get(4).rgb(), again.rgb());
    assertArrayEquals(views.get(4).segmentation(), again.segmentation());
  }

  @Test
  void aSizeTheRendererCannotDrawIsAOneLineError() {
    InputException e = assertThrows(InputException.class, () -> new SimRobotViews("optimus").views(1, 8, 1));
    assertTrue(e.getMessage().startsWith("--size 8:"), e.getMessage());
  }
}
