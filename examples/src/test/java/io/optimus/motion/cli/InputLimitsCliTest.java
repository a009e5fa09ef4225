package io.optimus.motion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.optimus.motion.bvh.BvhParser;
import io.optimus.motion.model.UrdfLoader;
import io.optimus.motion.record.mcap.McapChunkIndex;
import io.optimus.motion.record.mcap.McapReader;
import io.optimus.motion.record.mcap.McapWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted inputs against every file reader, through the real commands: counts and depths that lie,
 * files that never end (/dev/zero, FIFOs), oversize files, unreadable files. Each must end promptly
 * with one line naming the file and the problem, exit code 1 or 2, no stack trace.
 */
class InputLimitsCliTest {
  @TempDir Path dir;

  private static final String BVH_HEAD = """
      HIERARCHY
      ROOT Hips
      {
        OFFSET 0 0 0
        CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
        End Site
        {
          OFFSET 0 10 0
        }
      }
      MOTION
      """;

  /** Runs a command and checks the error contract; returns stderr's one line. */
  private static String fails(String... args) {
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.run(args), "prompt refusal");
    String err = r.err().strip();
    assertTrue(r.code() == 1 || r.code() == 2, "exit " + r.code() + ": " + err);
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    return err;
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
  }

  private Path fifo() throws Exception {
    Path f = dir.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", f.toString()).start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo unavailable");
    return f;
  }

  private Path sparse(String name, long bytes) throws Exception {
    Path f = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(bytes);
    }
    return f;
  }

  @Test
  void bvhFrameCountsBeyondTheFileAreRefusedWithoutAllocatingOrOverflowing() throws Exception {
    for (long frames : new long[] {2147483647L, 477218589L}) {
      Path f = write("frames-" + frames + ".bvh", BVH_HEAD + "Frames: " + frames + "\nFrame Time: 0.0083333\n0 0 0 0 0 0\n");
      String err = fails("mocap", "info", f.toString());
      assertTrue(err.contains(f.toString()) && err.contains("truncated motion block: 'Frames: " + frames
          + "' but the file ends after 1 frames"), err);
    }
  }

  @Test
  void bvhNestingIsDepthLimited() throws Exception {
    StringBuilder b = new StringBuilder("HIERARCHY\nROOT j0\n{\nOFFSET 0 0 0\nCHANNELS 3 Zrotation Xrotation Yrotation\n");
    int depth = 20000;
    for (int i = 1; i < depth; i++) {
      b.append("JOINT j").append(i).append("\n{\nOFFSET 0 1 0\nCHANNELS 3 Zrotation Xrotation Yrotation\n");
    }
    b.append("}\n".repeat(depth)).append("MOTION\nFrames: 1\nFrame Time: 0.01\n");
    Path f = write("deep.bvh", b.toString());
    String err = fails("mocap", "info", f.toString());
    assertTrue(err.contains(f + ":") && err.contains("joints nested deeper than " + BvhParser.MAX_DEPTH + " levels"), err);
  }

  @Test
  void urdfXmlNestingIsDepthLimitedAndALongChainStillLoads() throws Exception {
    Path deep = write("deep.urdf", "<robot name='r'><link name='a'/>" + "<x>".repeat(20000) + "</x>".repeat(20000)
        + "</robot>");
    String err = fails("robot", "info", "--robot", deep.toString());
    assertTrue(err.contains(deep.toString()) && err.contains("nested deeper than " + UrdfLoader.MAX_XML_DEPTH), err);

    // Depth of the kinematic tree is not XML depth: a 2000-link chain is flat XML and must load.
    StringBuilder chain = new StringBuilder("<robot name='chain'><link name='l0'/>");
    for (int i = 1; i < 2000; i++) {
      chain.append("<link name='l").append(i).append("'><inertial><mass value='1'/><inertia ixx='1' iyy='1' izz='1'"
          + " ixy='0' ixz='0' iyz='0'/></inertial></link><joint name='j").append(i).append("' type='revolute'><parent link='l")
          .append(i - 1).append("'/><child link='l").append(i).append("'/><origin xyz='0 0 0.01'/><axis xyz='0 0 1'/>"
          + "<limit lower='-1' upper='1' effort='1' velocity='1'/></joint>");
    }
    Path f = write("chain.urdf", chain.append("</robot>").toString());
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("robot", "info", "--robot", f.toString()));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"dof\" : 1999"), r.out().substring(0, 200));
  }

  @Test
  void devicesFifosAndDirectoriesAreRefusedBeforeReading() throws Exception {
    Path fifo = fifo();
    for (String[] cmd : new String[][] {
        {"robot", "info", "--robot", "/dev/zero"}, {"robot", "info", "--robot", fifo.toString()},
        {"mocap", "info", "/dev/zero"}, {"mocap", "info", fifo.toString()},
        {"dataset", "validate", "/dev/zero"}, {"dataset", "validate", fifo.toString()},
        {"dataset", "recover", "/dev/zero"}, {"dataset", "recover", fifo.toString()}}) {
      String err = fails(cmd);
      String file = cmd[cmd.length - 1];
      assertTrue(err.contains(file) && err.contains("not a regular file"), String.join(" ", cmd) + " -> " + err);
    }
    String err = fails("mocap", "info", dir.toString());
    assertTrue(err.contains("is a directory"), err);
    err = fails("robot", "info", "--robot", dir.toString());
    assertTrue(err.contains("is a directory"), err);
  }

  @Test
  void oversizeFilesAreRefusedByTheDocumentedCaps() throws Exception {
    Path bvh = sparse("huge.bvh", BvhParser.MAX_FILE_BYTES + 1);
    String err = fails("mocap", "info", bvh.toString());
    assertTrue(err.contains(bvh.toString()) && err.contains("larger than the 64 MiB limit for BVH files"), err);
    Path urdf = sparse("huge.urdf", UrdfLoader.MAX_FILE_BYTES + 1);
    err = fails("robot", "info", "--robot", urdf.toString());
    assertTrue(err.contains(urdf.toString()) && err.contains("larger than the 64 MiB limit for URDF files"), err);
  }

  @Test
  void mcapSizesClaimingGigabytesAreRefusedWithoutAllocating() throws Exception {
    Path f = dir.resolve("ep.mcap");
    try (McapWriter w = McapWriter.create(f, McapWriter.Options.defaults().withFsync(false))) {
      int schema = w.addSchema("s", "protobuf", new byte[] {1, 2, 3});
      int channel = w.addChannel(schema, "/t", "protobuf", Map.of());
      for (int i = 0; i < 100; i++) {
        w.addMessage(channel, i, i, i, new byte[] {(byte) i, 2, 3, 4});
      }
    }
    McapChunkIndex ci;
    try (McapReader r = McapReader.open(f)) {
      ci = r.chunkIndexes().get(0);
    }
    byte[] b = Files.readAllBytes(f);
    int uncompressedSizeAt = (int) ci.chunkStartOffset() + 9 + 16;
    b[uncompressedSizeAt + 3] = 0x70; // ~1.9 GB, from a few hundred compressed bytes
    Files.write(f, b);
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.run("dataset", "validate", f.toString()));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(f + ": chunk 0 at byte " + ci.chunkStartOffset()) && r.out().contains("more than zstd can expand"),
        r.out());
    // A record length of 2^56: refused by the file size, in the reader and the validator.
    b[(int) ci.chunkStartOffset() + 1 + 7] = 0x01;
    Files.write(f, b);
    r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.run("dataset", "validate", f.toString()));
    assertEquals(1, r.code());
    assertTrue(r.out().contains("truncated Chunk record: declares"), r.out());
  }

  @Test
  void aFooterPuttingTheSummaryGigabytesAwayIsRefusedWithoutReadingIt() throws Exception {
    Path episodes = Files.createDirectories(dir.resolve("episodes"));
    Path f = episodes.resolve("huge.mcap");
    long size = 2_200_000_000L; // sparse: costs no disk
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(size);
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(25).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      head.put(new byte[] {(byte) 0x89, 'M', 'C', 'A', 'P', 0x30, '\r', '\n'}).put((byte) 0x01).putLong(8).putInt(0).putInt(0);
      raf.getChannel().write(head.flip(), 0);
      java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(37).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      tail.put((byte) 0x02).putLong(20).putLong(25).putLong(0).putInt(0)
          .put(new byte[] {(byte) 0x89, 'M', 'C', 'A', 'P', 0x30, '\r', '\n'});
      raf.getChannel().write(tail.flip(), size - 37);
    }
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run("dataset", "info", episodes.toString()));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("huge.mcap") && r.out().contains("implausible (corrupt footer)"), r.out());
  }

  @Test
  void unreadableFilesSayPermissionDeniedNotNoSuchFile() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) || !"root".equals(System.getProperty("user.name")),
        "root without setpriv cannot be denied anything");
    Path secretUrdf = write("secret.urdf", "<robot name='x'><link name='a'/></robot>");
    Path secretMcap = write("secret.mcap", "not mcap");
    Path closed = Files.createDirectories(dir.resolve("closed"));
    Path hiddenBvh = write("closed/clip.bvh", BVH_HEAD + "Frames: 1\nFrame Time: 0.01\n0 0 0 0 0 0\n");
    Files.setPosixFilePermissions(secretUrdf, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(secretMcap, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
    try {
      String[][] cases = {
          {"robot", "info", "--robot", secretUrdf.toString()},
          {"robot", "info", "--robot", closed.resolve("robot.urdf").toString()},
          {"mocap", "info", hiddenBvh.toString()},
          {"dataset", "validate", secretMcap.toString()},
          {"dataset", "recover", secretMcap.toString()},
          {"dataset", "validate", hiddenBvh.resolveSibling("ep.mcap").toString()},
          {"dataset", "info", closed.toString()},
          {"dataset", "validate", closed.toString()}};
      for (String[] c : cases) {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) { // root reads anything: drop that power for the child
          cmd.addAll(List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), CliRun.class.getName()));
        cmd.addAll(List.of(c));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(l -> !l.startsWith("WARNING") && !l.contains("SLF4J")).reduce("", (a, l) -> a + l + "\n").strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String what = String.join(" ", c) + " -> exit " + p.exitValue() + ": " + err + out;
        assertEquals(2, p.exitValue(), what);
        assertEquals(1, err.lines().count(), what);
        assertTrue(err.contains("permission denied") && !err.contains("no such"), what);
      }
    } finally {
      Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
