package io.optimus.bridge.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
  @TempDir
  Path dir;

  private static String entry(String user, String role, String robots) {
    return user + ":" + role + ":" + robots + ":" + PasswordHash.of("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).encode();
  }

  private InputException bad(String line) throws Exception {
    Path f = dir.resolve("passwd");
    Files.write(f, List.of("# users", entry("alice", "operator", "r1"), line));
    return assertThrows(InputException.class, () -> PasswordFile.read(f));
  }

  @Test
  void garbageLinesAreNamedByFileAndLine() throws Exception {
    String hash = PasswordHash.of("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).encode();
    String[][] cases = {
        {"just garbage", "expected USER:ROLE:ROBOTS:HASH"},
        {"bob:operator:r1", "expected USER:ROLE:ROBOTS:HASH"},
        {"bob:admin:r1:" + hash, "role 'admin' is unknown"},
        {"bob:operator:r1:plaintext", "does not start with $pbkdf2-sha256$"},
        {"bob:operator:r1:$pbkdf2-sha256$NaN$AAAAAAAAAAA$AAAA", "iteration count 'NaN' is not a number"},
        {"bob:operator:r1:$pbkdf2-sha256$99999999999$AAAAAAAAAAA$AAAA", "is not a number"},
        {"bob:operator:r1:$pbkdf2-sha256$5$AAAAAAAAAAA$AAAA", "iteration count 5 is outside"},
        {"bob:operator:r1:" + hash.substring(0, hash.length() - 5), "hash of"}, // truncated
        {"bob:operator:r1:" + hash + "$x", "ITERATIONS$SALT$HASH"},
        {"bob:operator:r1:$pbkdf2-sha256$1000$!!!$AAAA", "password hash:"},
        {"b/ob:operator:r1:" + hash, "user id 'b/ob' is invalid"},
        {"bob:operator:r#:" + hash, "robot id 'r#' is invalid"},
        {"bob:operator::" + hash, "robot id '' is invalid"},
        {"bob:operator:*:" + hash, "'*' (every robot) is for a lone observer or supervisor only"},
        {"bob:bridge:r1,r2:" + hash, "a bridge is one robot"},
        {"alice:operator:r2:" + hash, "user alice is listed twice"},
        {"alice-2:operator:r2:" + hash, "users alice and alice-2 would share client ids"},
    };
    for (String[] c : cases) {
      InputException e = bad(c[0]);
      assertTrue(e.getMessage().startsWith(dir.resolve("passwd") + ":3: "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void missingHugeAndBinaryFilesAreNamed() throws Exception {
    InputException missing = assertThrows(InputException.class, () -> PasswordFile.read(dir.resolve("nope")));
    assertTrue(missing.getMessage().startsWith("cannot read password file " + dir.resolve("nope")), missing.getMessage());
    Path huge = dir.resolve("huge");
    try (var ch = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), PasswordFile.MAX_BYTES + 10); // sparse
    }
    InputException big = assertThrows(InputException.class, () -> PasswordFile.read(huge));
    assertTrue(big.getMessage().contains("is larger than 16 MiB"), big.getMessage());
    Path bin = dir.resolve("bin");
    Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    InputException b = assertThrows(InputException.class, () -> PasswordFile.read(bin));
    assertTrue(b.getMessage().contains("not UTF-8"), b.getMessage());
  }

  @Test
  void writtenFileReadsBackAndIsPrivate() throws Exception {
    Path f = dir.resolve("passwd");
    BrokerUser viewer = new BrokerUser("viewer", Role.OBSERVER, List.of("*"),
        PasswordHash.of("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS));
    BrokerUser bridge = new BrokerUser("bridge-r1", Role.BRIDGE, List.of("r1"),
        PasswordHash.of("b".toCharArray(), PasswordHash.MIN_ITERATIONS));
    PasswordFile.write(f, BrokerUsers.of(List.of(viewer, bridge)));
    BrokerUsers back = PasswordFile.read(f);
    assertEquals(List.of(viewer, bridge), List.copyOf(back.all()));
    assertTrue(back.get("viewer").orElseThrow().password().matches("s3cret".toCharArray()));
    assertFalse(back.get("viewer").orElseThrow().password().matches("s3cret ".toCharArray()));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void clientIdRule() {
    assertTrue(BrokerUsers.clientIdAllowed("bridge-r1", "bridge-r1"));
    assertTrue(BrokerUsers.clientIdAllowed("alice", "alice-1a2b3c4d"));
    assertFalse(BrokerUsers.clientIdAllowed("alice", "alice-"));
    assertFalse(BrokerUsers.clientIdAllowed("bridge-r1", "bridge-r10"));
    assertFalse(BrokerUsers.clientIdAllowed("alice", "bridge-r2"));
    assertFalse(BrokerUsers.clientIdAllowed("alice", "op-alice-1"));
  }

  @Test
  void grantsFollowTheRoleTable() {
    List<String> op = Role.OPERATOR.grants("alice", List.of("r1")).stream().map(TopicGrant::toString).toList();
    assertTrue(op.contains("publish optimus/v1/r1/operator"), op.toString());
    assertTrue(op.contains("publish (retained allowed) optimus/v1/operators/alice/status"), op.toString());
    assertTrue(op.stream().noneMatch(g -> g.contains("command")), "operators never send joint commands: " + op);
    assertTrue(Role.OBSERVER.grants("v", List.of("*")).stream().noneMatch(TopicGrant::publish));
    List<String> pilot = Role.SUPERVISOR.grants("pilot", List.of("*")).stream().filter(TopicGrant::publish)
        .map(TopicGrant::toString).toList();
    assertEquals(List.of("publish optimus/v1/+/supervise/pilot"), pilot, "a supervisor publishes on her own topic only");
    assertTrue(Role.BRIDGE.grants("bridge-r1", List.of("r1")).contains(TopicGrant.read("optimus/v1/r1/supervise/+")));
    assertTrue(Role.values().length == 5);
    for (Role r : Role.values()) {
      for (TopicGrant g : r.grants("u", List.of(r == Role.OBSERVER ? "*" : "r1"))) {
        boolean commandLike = g.filter().endsWith("/operator") || g.filter().endsWith("/command")
            || g.filter().endsWith("/control") || g.filter().contains("/supervise/");
        assertFalse(g.publish() && g.retain() && commandLike, r + " may retain " + g);
        assertFalse(g.filter().contains("#"), r + " has a multi-level wildcard: " + g);
      }
    }
  }
}
