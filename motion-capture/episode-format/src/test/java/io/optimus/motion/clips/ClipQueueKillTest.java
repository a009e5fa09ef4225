package io.optimus.motion.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a real JVM writing clips: nothing it reported added is lost, nothing is duplicated. */
class ClipQueueKillTest {
  static final int N = 400;

  static Process writer(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ClipWriterMain.class.getName(),
        dir.toString(), Integer.toString(N)).redirectErrorStream(true).start();
  }

  @Test
  void killedMidWriteThenRestartedLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
    Process p = writer(dir);
    int acknowledged = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("added ")) {
          acknowledged = Integer.parseInt(line.substring(6));
          if (acknowledged == 40) {
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
            break;
          }
        }
      }
    }
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    List<Clip> after = ClipQueue.in(dir).list();
    assertTrue(after.size() >= acknowledged + 1 && after.size() < N, after.size() + " clips after the kill, "
        + (acknowledged + 1) + " acknowledged");
    for (int i = 0; i < after.size(); i++) {
      assertEquals(i, (int) after.get(i).score(), "in order, none missing");
    }
    // the restarted writer fires every trigger again: same ids, so nothing doubles
    Process again = writer(dir);
    again.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertTrue(again.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, again.exitValue());
    List<Clip> all = ClipQueue.in(dir).list();
    assertEquals(N, all.size());
    Set<String> ids = new HashSet<>();
    all.forEach(c -> assertTrue(ids.add(c.id()), "duplicate " + c.id()));
  }
}
