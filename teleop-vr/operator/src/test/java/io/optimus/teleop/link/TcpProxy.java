package io.optimus.teleop.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP forwarder whose {@link #cut()} drops every connection as a network fault would. */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  TcpProxy(int targetPort) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return;
        }
      }
    }, "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // cut
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  String url() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Stops accepting and resets every open connection (no MQTT DISCONNECT reaches the broker). */
  void cut() throws IOException {
    server.close();
    for (Socket s : sockets) {
      try {
        if (!s.isClosed()) {
          s.setSoLinger(true, 0); // RST, not FIN
        }
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
