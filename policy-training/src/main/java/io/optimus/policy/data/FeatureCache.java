package io.optimus.policy.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frozen-encoder features of each episode, cached on disk so the (slow, on CPU) image encoder runs
 * once per episode and encoder rather than once per epoch. Keyed by encoder id and the episode
 * file's name, size and modification time: a re-recorded or recovered episode is re-encoded. A
 * cache that cannot be read or written is skipped with a warning, never fatal.
 */
public final class FeatureCache {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
  private static final int MAGIC = 0x4f504643; // "OPFC"

  private final Path dir;

  /** @param dir the cache directory (created on first write); null disables caching */
  public FeatureCache(Path dir) {
    this.dir = dir;
  }

  /** Features per tick for the episode, or null when not cached (or the cache is stale or broken). */
  public float[][] get(String encoderId, Path episode, int ticks, int featureSize) {
    if (dir == null) {
      return null;
    }
    Path file = entry(encoderId, episode);
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != ticks || in.readInt() != featureSize) {
        return null;
      }
      float[][] out = new float[ticks][featureSize];
      for (float[] row : out) {
        for (int i = 0; i < featureSize; i++) {
          row[i] = in.readFloat();
        }
      }
      return out;
    } catch (IOException e) {
      LOG.warn("feature cache {} unreadable, re-encoding: {}", file, e.toString());
      return null;
    }
  }

  public void put(String encoderId, Path episode, float[][] features) {
    if (dir == null) {
      return;
    }
    Path file = entry(encoderId, episode);
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(features.length);
        out.writeInt(features.length == 0 ? 0 : features[0].length);
        for (float[] row : features) {
          for (float v : row) {
            out.writeFloat(v);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write feature cache {}: {}", file, e.toString());
    }
  }

  private Path entry(String encoderId, Path episode) {
    try {
      String key = encoderId + "|" + episode.getFileName() + "|" + Files.size(episode) + "|"
          + Files.getLastModifiedTime(episode).toMillis();
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".f32");
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return null;
    }
  }
}
