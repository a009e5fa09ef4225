package io.optimus.perception.scene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
  private final SceneGenerator gen = new SceneGenerator(96, 96, 42);

  @Test
  void sameSeedAndIndexGiveIdenticalScenesAndLabels() {
    DrivingScene a = gen.scene(17);
    DrivingScene b = new SceneGenerator(96, 96, 42).scene(17);
    assertArrayEquals(a.rgb(), b.rgb());
    assertArrayEquals(a.segmentation(), b.segmentation());
    assertArrayEquals(a.depth(), b.depth());
    assertEquals(a.vehicles(), b.vehicles());
    // order of generation does not matter: scene 17 is the same after other scenes
    gen.scene(3);
    assertArrayEquals(a.rgb(), gen.scene(17).rgb());
  }

  @Test
  void differentIndicesAndSeedsGiveDifferentScenes() {
    assertFalse(Arrays.equals(gen.scene(1).rgb(), gen.scene(2).rgb()));
    assertFalse(Arrays.equals(gen.scene(1).rgb(), new SceneGenerator(96, 96, 43).scene(1).rgb()));
  }

  @Test
  void labelsAreConsistentWithTheRenderedGeometry() {
    Set<VehicleKind> kinds = EnumSet.noneOf(VehicleKind.class);
    int scenesWithVehicles = 0;
    int lanePixels = 0;
    for (int k = 0; k < 40; k++) {
      DrivingScene s = gen.scene(k);
      int w = s.width();
      int h = s.height();
      assertEquals(w * h * 3, s.rgb().length);
      // The top row looks at the sky: background, no depth. The bottom row looks at the ground.
      for (int u = 0; u < w; u++) {
        assertEquals(SegClass.BACKGROUND, s.segmentation()[u]);
        assertEquals(0f, s.depth()[u]);
        assertTrue(s.depth()[(h - 1) * w + u] > 0, "bottom row has ground depth");
        assertTrue(s.depth()[(h - 1) * w + u] < 10, "bottom row is near the camera");
      }
      // Road and lane pixels are ground: valid depth, and the road is in view.
      int road = 0;
      int roadWithDepth = 0;
      for (int i = 0; i < w * h; i++) {
        byte c = s.segmentation()[i];
        if (c == SegClass.ROAD || c == SegClass.LANE) {
          road++;
          if (s.depth()[i] > 0) {
            roadWithDepth++;
          }
        }
        if (c == SegClass.LANE) {
          lanePixels++;
        }
        assertTrue(s.depth()[i] >= 0 && s.depth()[i] <= SceneGenerator.MAX_DEPTH);
      }
      assertTrue(road > w * h / 20, "scene " + k + " shows the road (" + road + " px)");
      // Only road beyond MAX_DEPTH (a few pixels at the horizon) lacks depth.
      assertTrue(roadWithDepth > 0.9 * road, "scene " + k + ": road pixels have depth");
      // Ground depth grows towards the horizon along the image's centre column (within the road).
      int mid = w / 2;
      float below = s.depth()[(h - 1) * w + mid];
      float above = s.depth()[(h * 3 / 4) * w + mid];
      if (s.vehicles().isEmpty()) {
        assertTrue(above > below, "depth increases up the image");
      }
      if (!s.vehicles().isEmpty()) {
        scenesWithVehicles++;
      }
      for (VehicleBox v : s.vehicles()) {
        kinds.add(v.kind());
        assertTrue(v.width() >= SceneGenerator.MIN_BOX_PIXELS && v.height() >= SceneGenerator.MIN_BOX_PIXELS);
        assertTrue(v.centerX() - v.width() / 2 >= -1e-9 && v.centerX() + v.width() / 2 <= w + 1e-9);
        assertTrue(v.centerY() - v.height() / 2 >= -1e-9 && v.centerY() + v.height() / 2 <= h + 1e-9);
        assertTrue(v.visibleFraction() >= SceneGenerator.MIN_VISIBLE_FRACTION);
        // Inside the box some pixel sees the vehicle's rear face at about its distance.
        boolean seen = false;
        for (int y = (int) (v.centerY() - v.height() / 2); y < (int) Math.ceil(v.centerY() + v.height() / 2) && !seen; y++) {
          for (int x = (int) (v.centerX() - v.width() / 2); x < (int) Math.ceil(v.centerX() + v.width() / 2); x++) {
            float d = s.depth()[Math.min(h - 1, y) * w + Math.min(w - 1, x)];
            if (d > 0 && Math.abs(d - v.distance()) / v.distance() < 0.15) {
              seen = true;
              break;
            }
          }
        }
        assertTrue(seen, "scene " + k + ": a pixel in the box of " + v + " has the vehicle's depth");
      }
    }
    assertTrue(scenesWithVehicles >= 20, "most scenes have vehicles: " + scenesWithVehicles);
    assertEquals(EnumSet.allOf(VehicleKind.class), kinds, "every vehicle size appears");
    assertTrue(lanePixels > 40 * 50, "lane markings are visible: " + lanePixels);
  }

  @Test
  void aCameraRigSeesOneWorldFromSeveralYaws() {
    List<DrivingScene> views = gen.rig(5, 0, 0.6, -0.6);
    assertEquals(3, views.size());
    assertEquals(gen.scene(5).vehicles(), views.get(0).vehicles(), "the front view is the plain scene's geometry");
    assertFalse(Arrays.equals(views.get(0).segmentation(), views.get(1).segmentation()));
    assertFalse(Arrays.equals(views.get(1).segmentation(), views.get(2).segmentation()));
  }

  @Test
  void badImageSizesAreRejected() {
    InputException e = assertThrows(InputException.class, () -> new SceneGenerator(8, 96, 1));
    assertTrue(e.getMessage().contains("8x96"), e.getMessage());
  }
}
