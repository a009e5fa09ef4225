package io.optimus.teleop.source;

import io.optimus.common.InputException;
import io.optimus.common.Stamps;
import io.optimus.motion.bvh.BvhStream;
import io.optimus.motion.bvh.LengthUnit;
import io.optimus.proto.v1.OperatorCommands;
import io.optimus.proto.v1.OperatorFrame;
import io.optimus.proto.v1.Timestamp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mocap-stream:HOST:PORT}: a live skeleton from a mocap suite's BVH broadcast over TCP (the
 * hierarchy once per connection, then a line of channel values per frame; see {@link BvhStream}).
 * Each frame line becomes an operator frame as soon as it arrives (stamped on arrival; the stream's
 * {@code Frame Time} paces it and counts the deadman lead-in), through the same keypoints and frame
 * builder as {@code bvh:FILE}.
 *
 * <p>Bad lines (over {@link #MAX_LINE_BYTES}, a wrong value count, NaN, not a number) are refused with
 * one warning each and the stream goes on. When the stream drops or stalls for {@link #STALL_MS}, the
 * source reconnects with exponential backoff, logging one line when the outage starts and one when it
 * ends; meanwhile it sends frames with nothing tracked and the deadman released (the robot holds), so
 * the session's stop and duration still apply. After a reconnect the first pose is held with the
 * deadman released for {@link DeadmanLeadIn#SECONDS} again, then the press re-engages. A hierarchy the
 * skeleton map cannot map throws a {@link io.optimus.motion.bvh.BvhException} naming the missing joints.
 */
public final class MocapStreamPoseSource implements PoseSource {
  public static final String PREFIX = "mocap-stream:";
  /** Longest line accepted: a 300-channel frame at 20 characters a value fits 100 times over. */
  public static final int MAX_LINE_BYTES = 64 * 1024;
  /** Most header lines (a 200-joint hierarchy is about 1500). */
  public static final int MAX_HEADER_LINES = 20_000;
  /** No data for this long counts as a dropped stream. */
  public static final int STALL_MS = 2000;
  static final long BACKOFF_MIN_MS = 50;
  static final long BACKOFF_MAX_MS = 2000;
  /** During an outage, how often a "nothing tracked" frame is sent. */
  static final long IDLE_FRAME_MS = 100;

  private static final Logger LOG = LoggerFactory.getLogger(MocapStreamPoseSource.class);
  private static final byte[] TOO_LONG = new byte[0];

  private final String host;
  private final int port;
  private final LengthUnit unit;
  private final String name;
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int lineLength;
  private Socket socket;
  private InputStream in;
  private BvhStream stream;
  private double[] values;
  private long framesSinceConnect;
  private long backoffMs = BACKOFF_MIN_MS;
  private long nextAttemptNs;
  private long outageStartNs = -1;
  private long outages;
  private long refused;
  private long accepted;
  private volatile boolean closed;

  public MocapStreamPoseSource(String host, int port, LengthUnit unit) {
    this.host = host;
    this.port = port;
    this.unit = unit;
    this.name = PREFIX + host + ":" + port;
  }

  /** From {@code HOST:PORT} (the part after {@link #PREFIX}); a bad spec is an InputException. */
  public static MocapStreamPoseSource of(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new InputException("--source " + PREFIX + hostPort + ": expected " + PREFIX + "HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new InputException("--source " + PREFIX + hostPort + ": port must be 1 to 65535");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new MocapStreamPoseSource(host, port, null);
  }

  @Override
  public String name() {
    return name;
  }

  /** Stream outages so far (each logged once). */
  public long outages() {
    return outages;
  }

  /** Lines refused so far (too long, wrong count, not finite). */
  public long refused() {
    return refused;
  }

  /** Frames turned into operator frames so far. */
  public long accepted() {
    return accepted;
  }

  /** Seconds between frames declared by the current stream, or NaN before a header. */
  public double frameTime() {
    return stream == null ? Double.NaN : stream.frameTime();
  }

  @Override
  public Optional<OperatorFrame.Builder> next() throws InterruptedException {
    while (!closed) {
      if (in == null && !connect()) {
        return Optional.of(idleFrame());
      }
      try {
        OperatorFrame.Builder f = readFrame();
        if (f != null) {
          return Optional.of(f);
        }
      } catch (SocketTimeoutException e) {
        drop("no data for " + STALL_MS + " ms");
      } catch (IOException e) {
        drop(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** One connection attempt when it is due; false (after waiting a little) when none is up. */
  private boolean connect() throws InterruptedException {
    long now = System.nanoTime();
    if (now < nextAttemptNs) {
      Thread.sleep(Math.min(IDLE_FRAME_MS, Math.max(1, (nextAttemptNs - now) / 1_000_000)));
      return false;
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), (int) Math.min(1000, BACKOFF_MAX_MS));
      s.setSoTimeout(STALL_MS);
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      stream = null;
      framesSinceConnect = 0;
      backoffMs = BACKOFF_MIN_MS;
      if (outageStartNs >= 0) {
        LOG.info("{}: stream back after {} s", name, String.format("%.1f", (System.nanoTime() - outageStartNs) / 1e9));
        outageStartNs = -1;
      }
      return true;
    } catch (IOException e) {
      closeQuietly(s);
      if (outageStartNs < 0) {
        outages++;
        outageStartNs = now;
        LOG.warn("{}: cannot connect ({}); retrying with backoff up to {} ms", name, e.getMessage(), BACKOFF_MAX_MS);
      }
      nextAttemptNs = System.nanoTime() + backoffMs * 1_000_000;
      backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
      return false;
    }
  }

  private void drop(String why) {
    closeQuietly(socket);
    socket = null;
    in = null;
    stream = null;
    if (closed) {
      return;
    }
    outages++;
    outageStartNs = System.nanoTime();
    LOG.warn("{}: stream lost ({}); reconnecting with backoff up to {} ms", name, why, BACKOFF_MAX_MS);
    nextAttemptNs = System.nanoTime() + backoffMs * 1_000_000;
    backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
  }

  /** Reads lines until a frame is made; null when the connection ended cleanly (dropped here). */
  private OperatorFrame.Builder readFrame() throws IOException {
    while (true) {
      byte[] l = readLine();
      if (l == null) {
        drop("closed by the server");
        return null;
      }
      if (l == TOO_LONG) {
        refuse("line over " + MAX_LINE_BYTES + " bytes");
        continue;
      }
      String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
      if (text.isBlank()) {
        continue;
      }
      if (text.strip().equalsIgnoreCase("HIERARCHY")) {
        readHeader(text);
        continue;
      }
      if (stream == null) {
        refuse("frame data before a HIERARCHY header");
        continue;
      }
      String problem = stream.parseFrame(text, values);
      if (problem != null) {
        refuse(problem);
        continue;
      }
      long arrival = System.nanoTime();
      boolean leadIn = framesSinceConnect * stream.frameTime() < DeadmanLeadIn.SECONDS;
      framesSinceConnect++;
      accepted++;
      // the current frame is the second of the calibrated pair
      OperatorFrame.Builder f = new BvhPoseSource(stream.accept(values), name).frameAt(stream.frameTime(), arrival);
      if (leadIn) {
        f.setCommands(OperatorCommands.newBuilder().setDeadman(false));
      }
      return f;
    }
  }

  private void readHeader(String first) throws IOException {
    List<String> header = new ArrayList<>();
    header.add(first);
    while (true) {
      byte[] l = readLine();
      if (l == null) {
        throw new IOException("stream ended inside the header");
      }
      if (l == TOO_LONG || header.size() >= MAX_HEADER_LINES) {
        throw new io.optimus.motion.bvh.BvhException(name, header.size() + 1,
            l == TOO_LONG ? "header line over " + MAX_LINE_BYTES + " bytes" : "header over " + MAX_HEADER_LINES + " lines");
      }
      String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
      header.add(text);
      if (text.strip().regionMatches(true, 0, "Frame Time", 0, 10)) {
        break;
      }
    }
    stream = BvhStream.fromHeader(name, header, unit);
    values = new double[stream.channelCount()];
    framesSinceConnect = 0;
    LOG.info("{}: skeleton of {} channels at {} Hz", name, stream.channelCount(),
        String.format("%.1f", 1 / stream.frameTime()));
  }

  private void refuse(String problem) {
    refused++;
    LOG.warn("{}: frame line refused: {}", name, problem);
  }

  /** The next line into {@link #line}, {@link #TOO_LONG} (skipped to its end) when over the limit, null at EOF. */
  private byte[] readLine() throws IOException {
    lineLength = 0;
    boolean overflow = false;
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        break;
      }
      if (b == '\r') {
        continue;
      }
      if (lineLength < MAX_LINE_BYTES) {
        line[lineLength++] = (byte) b;
      } else {
        overflow = true;
      }
    }
    if (b < 0 && lineLength == 0 && !overflow) {
      return null;
    }
    if (b < 0) {
      // a truncated last line: the connection ended mid-frame
      return null;
    }
    return overflow ? TOO_LONG : line;
  }

  /** A frame with nothing tracked and the deadman released: the robot holds while the stream is down. */
  private OperatorFrame.Builder idleFrame() {
    long now = System.nanoTime();
    return OperatorFrame.newBuilder()
        .setCaptureTime(Timestamp.newBuilder().setMonotonicNs(now).setWallNs(Stamps.wallNanos()))
        .setHeadValid(false)
        .setCommands(OperatorCommands.newBuilder().setDeadman(false));
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
