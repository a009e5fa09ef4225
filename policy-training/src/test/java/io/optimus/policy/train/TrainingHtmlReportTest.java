package io.optimus.policy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.policy.RunFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's report.html: its numbers, its plots as PNG files that exist, nothing unescaped, no NaN printed. */
class TrainingHtmlReportTest {
  @TempDir
  Path dir;

  @Test
  void theReportShowsTheRunsNumbersAndEmbedsItsPlots() throws Exception {
    RunFiles files = new RunFiles(dir);
    LossCurve curve = new LossCurve();
    for (int s = 1; s <= 50; s++) {
      curve.add(s, 1.0 / s, s % 10 == 0 ? 1.2 / s : Double.NaN);
    }
    curve.writePng(files.lossPng(), "run");
    Map<String, Double> policy = new LinkedHashMap<>();
    policy.put("arm", 0.021);
    policy.put("hand", 0.35);
    Map<String, Double> baseline = Map.of("arm", 0.2, "hand", 0.4);
    TrainingReport r = new TrainingReport("runs/<act>", "act", 50, 0, 8, 2, 4000, 0.02, Double.NaN, 812.5, 4.9,
        new ActionErrors(640, 0.1, 0.08, policy, 0.3, baseline));
    TrainingHtmlReport.write(files, r, "act <seed 1>");

    String html = Files.readString(files.report());
    assertTrue(html.contains("act &lt;seed 1&gt;") && html.contains("runs/&lt;act&gt;"), "escaped");
    assertFalse(html.contains("<act>") || html.contains("NaN"), html);
    assertTrue(html.contains("0.02000 / n/a"), "a validation loss never measured reads n/a");
    assertTrue(html.contains("<th>arm</th><td>0.02100</td><td>0.2000</td>"), html);
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (img.find()) {
      BufferedImage png = ImageIO.read(dir.resolve(img.group(1)).toFile());
      assertNotNull(png, img.group(1) + " is a PNG beside the report");
      images++;
    }
    assertEquals(2, images, "loss per split and held-out errors");
  }

  @Test
  void aRunWithoutHeldOutEpisodesSaysSoAndDrawsNoErrorPlot() throws Exception {
    RunFiles files = new RunFiles(dir);
    TrainingHtmlReport.write(files, new TrainingReport("r", "mlp", 10, 0, 3, 0, 100, 0.5, Double.NaN, 10, 1, null), "r");
    String html = Files.readString(files.report());
    assertTrue(html.contains("No held-out episodes"), html);
    assertFalse(Files.exists(files.actionErrorsPng()));
  }
}
