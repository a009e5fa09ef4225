package io.optimus.motion.bvh;

import io.optimus.common.FramePacer;
import io.optimus.common.InputFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BVH file broadcast over TCP the way mocap suites stream a live skeleton: every client gets the
 * hierarchy (through {@code Frame Time:}) and then one frame line per {@code Frame Time}, the clip
 * looping. A stand-in for a suite in tests, benches and demos; one client at a time, on loopback.
 */
public final class BvhBroadcast implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BvhBroadcast.class);

  private final List<String> header;
  private final List<String> frames;
  private final double frameTime;
  private final ServerSocket server;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Socket client;
  private volatile long sent;

  private BvhBroadcast(List<String> header, List<String> frames, double frameTime, int port) throws IOException {
    this.header = header;
    this.frames = frames;
    this.frameTime = frameTime;
    this.server = new ServerSocket(port, 4, InetAddress.getLoopbackAddress());
    this.thread = Thread.ofPlatform().daemon().name("bvh-broadcast").start(this::serve);
  }

  /** Splits a BVH file into its header lines and frame lines (the file is checked by the parser first). */
  public static List<List<String>> split(Path file) {
    BvhParser.parse(file, null);
    String text;
    try {
      text = new String(InputFiles.read(file, BvhParser.MAX_FILE_BYTES, "BVH files"), StandardCharsets.ISO_8859_1);
    } catch (InputFiles.Unreadable e) {
      throw new BvhException(file.toString(), 0, e.problem());
    }
    List<String> header = new ArrayList<>();
    List<String> frames = new ArrayList<>();
    boolean inFrames = false;
    for (String line : text.split("\r\n|\n|\r")) {
      if (inFrames) {
        if (!line.isBlank()) {
          frames.add(line.strip());
        }
      } else {
        header.add(line);
        inFrames = line.strip().regionMatches(true, 0, "Frame Time", 0, 10);
      }
    }
    return List.of(header, frames);
  }

  /** Serves {@code file} on a loopback port ({@code port} 0 picks a free one) at its own Frame Time. */
  public static BvhBroadcast start(Path file, int port) throws IOException {
    List<List<String>> parts = split(file);
    return new BvhBroadcast(parts.get(0), parts.get(1), BvhParser.parse(file, null).frameTime(), port);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Frame lines sent so far, over all clients. */
  public long sent() {
    return sent;
  }

  /** Cuts the current client off (a dropped stream); the next connection gets the header again. */
  public void dropClient() throws IOException {
    Socket c = client;
    if (c != null) {
      c.close();
    }
  }

  private void serve() {
    while (!closed) {
      try (Socket c = server.accept()) {
        client = c;
        c.setTcpNoDelay(true);
        OutputStream out = c.getOutputStream();
        StringBuilder h = new StringBuilder();
        header.forEach(l -> h.append(l).append('\n'));
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        FramePacer pacer = FramePacer.ofPeriod(Math.round(frameTime * 1e9));
        for (int i = 0; !closed; i = (i + 1) % frames.size()) {
          pacer.await();
          out.write((frames.get(i) + "\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          sent++;
        }
      } catch (IOException e) {
        if (!closed) {
          LOG.debug("bvh broadcast client gone: {}", e.toString());
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    dropClient();
    thread.interrupt();
  }
}
