package io.optimus.bridge.broker;

import io.optimus.common.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code mosquitto} process on a free loopback port with a generated config, for tests
 * and benchmarks (never the system service). Extra config lines (password file, ACL, TLS) can be
 * appended. Its log goes to a file in its temporary directory.
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
  private static final List<String> CANDIDATES = List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto",
      "/usr/bin/mosquitto", "/usr/local/bin/mosquitto", "/opt/homebrew/sbin/mosquitto");

  private final Process process;
  private final Path dir;
  private final int port;

  private MosquittoBroker(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** The mosquitto executable, if installed. */
  public static Optional<Path> executable() {
    for (String c : CANDIDATES) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        Path p = Path.of(d, "mosquitto");
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Anonymous access, loopback only. */
  public static MosquittoBroker start() {
    return start(List.of("allow_anonymous true"));
  }

  /**
   * Config lines for a broker where every client logs in: no anonymous access, {@code passwd}
   * (mosquitto_passwd), {@code acl} (like the shipped {@code mosquitto/acl.example}), and the client id
   * replaced by the user name so nobody can take over another user's session.
   */
  public static List<String> authConfig(Path passwd, Path acl) {
    return List.of("allow_anonymous false", "password_file " + passwd, "acl_file " + acl, "use_username_as_clientid true");
  }

  /**
   * Starts mosquitto with {@code listener PORT 127.0.0.1} plus {@code extraConfig} lines; paths in
   * them may use {@code ${dir}} for the broker's temporary directory.
   */
  public static MosquittoBroker start(List<String> extraConfig) {
    Path exe = executable().orElseThrow(() -> new IllegalStateException(
        "mosquitto is not installed (Debian: apt-get install -y mosquitto)"));
    try {
      Path dir = Files.createTempDirectory("optimus-mosquitto-");
      int port = EmbeddedBroker.freePort("127.0.0.1");
      List<String> conf = new ArrayList<>();
      conf.add("listener " + port + " 127.0.0.1");
      conf.add("persistence false");
      // Started as root, mosquitto would switch to user "mosquitto", who cannot read our private temp dir.
      conf.add("user " + System.getProperty("user.name"));
      conf.add("log_dest file " + dir.resolve("mosquitto.log"));
      conf.add("log_type error");
      conf.add("log_type warning");
      conf.add("log_type notice");
      conf.add("max_queued_messages 1000");
      for (String line : extraConfig) {
        conf.add(line.replace("${dir}", dir.toString()));
      }
      Path confFile = dir.resolve("mosquitto.conf");
      Files.write(confFile, conf);
      Process p = new ProcessBuilder(exe.toString(), "-c", confFile.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile())
          .start();
      MosquittoBroker b = new MosquittoBroker(p, dir, port);
      b.awaitListening();
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start mosquitto", e);
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
        String log2 = Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : "";
        close();
        throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + log + log2);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        LOG.debug("mosquitto listening on {}", port);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20); // polling the port with a deadline
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    close();
    throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s");
  }

  public int port() {
    return port;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public Path directory() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileTrees.deleteQuietly(dir);
  }
}
