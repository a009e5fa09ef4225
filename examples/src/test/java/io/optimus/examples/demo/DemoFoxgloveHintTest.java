package io.optimus.examples.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `optimus demo` says in one line how to open its episodes in Foxglove, with a layout the repository ships. */
class DemoFoxgloveHintTest {
  @Test
  void theFirstLineOpensTheRecordingsWithTheShippedLayout() {
    String line = DemoReport.foxgloveHints("out/recordings").get(0);
    assertTrue(line.contains("out/recordings/*.mcap") && line.contains("optimus-layout.json"), line);
    assertTrue(Files.isRegularFile(Path.of("..").resolve(DemoReport.LAYOUT)), "the layout is shipped: " + DemoReport.LAYOUT);
  }
}
