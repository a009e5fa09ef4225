package io.optimus.bridge.physics.bullet;

import com.jme3.bullet.util.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads Libbulletjme's double-precision native library from its jar (the DpRelease classifier carries
 * {@code native/linux/x86_64/libbulletjme.so}; Libbulletjme's own NativeLibraryLoader only loads from
 * a directory), once per JVM, and silences its startup banner and INFO logging.
 */
public final class BulletNatives {
  private static final String RESOURCE = "/native/linux/x86_64/libbulletjme.so";
  /** Kept strongly so the java.util.logging level sticks. */
  private static final Logger JME_LOGGER = Logger.getLogger("com.jme3");
  private static boolean loaded;

  private BulletNatives() {}

  /** Loads the library if not yet loaded; throws IllegalStateException on an unsupported platform. */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException("Bullet physics: no native library for " + os + "/" + arch
          + " (Libbulletjme-Linux64 DpRelease covers linux x86-64 only)");
    }
    JME_LOGGER.setLevel(Level.WARNING);
    try (InputStream in = BulletNatives.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Bullet physics: " + RESOURCE
            + " is not on the classpath (add com.github.stephengold:Libbulletjme-Linux64:DpRelease)");
      }
      Path file = Files.createTempFile("libbulletjme-dp", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      System.load(file.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Bullet physics: cannot unpack the native library: " + e.getMessage(), e);
    }
    NativeLibrary.setStartupMessageEnabled(false);
    if (!NativeLibrary.isDoublePrecision()) {
      throw new IllegalStateException("Bullet physics: the loaded native library is single precision");
    }
    loaded = true;
  }

  /** e.g. "3.x Libbulletjme 23.1.0 (double precision)". */
  public static String version() {
    load();
    return "Libbulletjme native " + NativeLibrary.versionNumber() + " (double precision)";
  }
}
