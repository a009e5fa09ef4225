package io.optimus.motion.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small tmpfs mounted on a directory, so a test can fill a file system for real. Needs root
 * (CI and the dev machines run tests as root); {@link #mount} returns null where mounting is not
 * allowed and the test skips.
 */
final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  static Tmpfs mount(Path dir, int kib) throws IOException, InterruptedException {
    if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
      return null;
    }
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return new Tmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
