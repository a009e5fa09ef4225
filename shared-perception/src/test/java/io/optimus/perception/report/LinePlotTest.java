package io.optimus.perception.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plot helper draws whatever a trainer logged, odd values included, and round-trips its numbers. */
class LinePlotTest {
  @TempDir
  Path dir;

  private BufferedImage plot(Curve... curves) throws Exception {
    Path png = dir.resolve("p.png");
    LinePlot.write(png, "t", new Curves("step", "loss", List.of(curves)));
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img);
    return img;
  }

  private static boolean pureRedOnTopEdge(BufferedImage img) {
    for (int y = 45; y <= 55; y++) {
      for (int x = 0; x < img.getWidth() - 215; x++) {
        if (img.getRGB(x, y) == Color.RED.getRGB()) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void aNanStepBreaksTheLineAndIsMarkedOnTheTopEdge() throws Exception {
    double[] x = {1, 2, 3, 4, 5};
    assertTrue(pureRedOnTopEdge(plot(new Curve("total", "train", x, new double[] {1, 0.5, Double.NaN, 0.3, 0.2}))));
    assertFalse(pureRedOnTopEdge(plot(new Curve("total", "train", x, new double[] {1, 0.5, 0.4, 0.3, 0.2}))),
        "no mark without a non-finite value");
  }

  @Test
  void emptySinglePointAllNanAndNegativeCurvesStillMakeAPlot() throws Exception {
    plot();
    plot(new Curve("a", "train", new double[] {3}, new double[] {0.7}));
    plot(new Curve("a", "train", new double[] {1, 2}, new double[] {Double.NaN, Double.POSITIVE_INFINITY}));
    plot(new Curve("a", "train", new double[] {1, 2}, new double[] {-1, 2}),
        new Curve("a", "validation", new double[] {}, new double[] {}));
  }

  @Test
  void curvesRoundTripThroughJsonWithNonFiniteValuesKept() throws Exception {
    Curves c = new Curves("step", "loss", List.of(new Curve("seg", "validation", new double[] {0, 10},
        new double[] {Double.NaN, Double.NEGATIVE_INFINITY}), new Curve("seg", "train", new double[] {1}, new double[] {0.25})));
    Path json = dir.resolve("c.json");
    c.write(json);
    assertEquals(c, Curves.read(json));
  }
}
