package io.optimus.bridge.mqtt.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, stored as
 * {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in unpadded base64). The iteration
 * count travels with each hash, so raising {@link #DEFAULT_ITERATIONS} later keeps old entries valid.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  /** ~0.1 s per check on one core here; a bcrypt-like cost for each CONNECT attempt. */
  public static final int DEFAULT_ITERATIONS = 210_000;
  public static final int MIN_ITERATIONS = 1_000;
  private static final String SCHEME = "$pbkdf2-sha256$";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  public PasswordHash {
    if (iterations < MIN_ITERATIONS || iterations > 100_000_000) {
      throw new IllegalArgumentException("iteration count " + iterations + " is outside " + MIN_ITERATIONS + "-100000000");
    }
    if (salt.length < 8 || salt.length > 64) {
      throw new IllegalArgumentException("salt of " + salt.length + " bytes (8-64 expected)");
    }
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("hash of " + hash.length + " bytes (" + HASH_BYTES + " expected)");
    }
    salt = salt.clone();
    hash = hash.clone();
  }

  /** Hashes {@code password} with a fresh random salt. */
  public static PasswordHash of(char[] password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations));
  }

  /** Constant-time check of a password as sent in MQTT CONNECT (UTF-8 bytes). */
  public boolean matches(byte[] passwordUtf8) {
    java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(passwordUtf8));
    char[] chars = new char[decoded.remaining()];
    decoded.get(chars);
    try {
      return matches(chars);
    } finally {
      Arrays.fill(chars, '\0');
      Arrays.fill(decoded.array(), '\0');
    }
  }

  public boolean matches(char[] password) {
    return MessageDigest.isEqual(hash, derive(password, salt, iterations));
  }

  /** The stored form; see the class comment. */
  public String encode() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Parses {@link #encode()}'s form; the message names what is wrong (never the hash itself). */
  public static PasswordHash parse(String s) {
    if (!s.startsWith(SCHEME)) {
      throw new IllegalArgumentException("password hash does not start with " + SCHEME
          + " (create entries with 'optimus broker passwd')");
    }
    String[] p = s.substring(SCHEME.length()).split("\\$", -1);
    if (p.length != 3) {
      throw new IllegalArgumentException("password hash needs ITERATIONS$SALT$HASH after " + SCHEME);
    }
    int iterations;
    try {
      iterations = Integer.parseInt(p[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("iteration count '" + p[0] + "' is not a number");
    }
    try {
      Base64.Decoder d = Base64.getDecoder();
      return new PasswordHash(iterations, d.decode(p[1]), d.decode(p[2]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("password hash: " + e.getMessage());
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash h && h.iterations == iterations && Arrays.equals(h.salt, salt)
        && Arrays.equals(h.hash, hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "PasswordHash[pbkdf2-sha256, " + iterations + " iterations]";
  }
}
