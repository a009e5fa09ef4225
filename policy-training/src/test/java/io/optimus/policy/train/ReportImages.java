package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Checks on a run's report.html: its images are PNG files beside it. */
public final class ReportImages {
  private ReportImages() {}

  /** How many images the page shows, each asserted to decode. */
  public static int decoding(Path dir, String html) throws Exception {
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int n = 0;
    while (img.find()) {
      assertNotNull(ImageIO.read(dir.resolve(img.group(1)).toFile()), img.group(1) + " is a PNG beside the report");
      n++;
    }
    return n;
  }

  /** Pure red pixels near {@code row} left of a line plot's legend (which starts 210 px from the right). */
  public static boolean hasPureRedNear(BufferedImage png, int row) {
    for (int y = row - 5; y <= row + 5; y++) {
      for (int x = 0; x < png.getWidth() - 215; x++) {
        if (png.getRGB(x, y) == Color.RED.getRGB()) {
          return true;
        }
      }
    }
    return false;
  }
}
