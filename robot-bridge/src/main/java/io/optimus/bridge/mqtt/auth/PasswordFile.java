package io.optimus.bridge.mqtt.auth;

import io.optimus.common.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded broker's password file: one user per line, {@code USER:ROLE:ROBOTS:HASH}, e.g.
 * {@code alice:operator:r1,r2:$pbkdf2-sha256$210000$...}; ROBOTS is a comma-separated list of robot
 * ids or {@code *} (observers and supervisors only); {@code #} starts a comment line. Written by
 * {@code optimus broker passwd}, owner-readable only.
 */
public final class PasswordFile {
  /** Bounds memory on a wrong path (a 16 MiB file holds ~100 000 users). */
  static final long MAX_BYTES = 16L << 20;
  private static final String HEADER = "# optimus broker users: USER:ROLE:ROBOTS:PBKDF2-HASH (edit with 'optimus broker passwd')";

  private PasswordFile() {}

  /** Reads {@code file}; any bad line is a one-line InputException naming file and line. */
  public static BrokerUsers read(Path file) {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InputException("password file " + file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException("password file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new InputException("cannot read password file " + file + ": " + e.getMessage(), e);
    }
    List<BrokerUser> users = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        BrokerUser u = parseLine(line);
        String clash = BrokerUsers.clash(users, u.name());
        if (clash != null) {
          throw new IllegalArgumentException(clash);
        }
        users.add(u);
      } catch (IllegalArgumentException | InputException e) {
        throw new InputException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return BrokerUsers.of(users);
  }

  static BrokerUser parseLine(String line) {
    String[] f = line.split(":", 4);
    if (f.length != 4) {
      throw new IllegalArgumentException("expected USER:ROLE:ROBOTS:HASH, found " + (f.length - 1) + " ':' separator(s)");
    }
    List<String> robots = Arrays.stream(f[2].split(",", -1)).map(String::strip).toList();
    return new BrokerUser(f[0], Role.parse(f[1]), robots, PasswordHash.parse(f[3]));
  }

  static String format(BrokerUser u) {
    return u.name() + ":" + u.role().id() + ":" + String.join(",", u.robots()) + ":" + u.password().encode();
  }

  /** Writes {@code users} to {@code file} atomically (a temporary file beside it, then a rename), mode 0600. */
  public static void write(Path file, BrokerUsers users) {
    List<String> out = new ArrayList<>();
    out.add(HEADER);
    users.all().forEach(u -> out.add(format(u)));
    Path dir = file.toAbsolutePath().getParent();
    try {
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        restrict(tmp);
        Files.write(tmp, out, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new InputException("cannot write password file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void restrict(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the temp file already inherits the folder's ACL
    }
  }
}
