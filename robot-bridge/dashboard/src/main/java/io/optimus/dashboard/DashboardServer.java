package io.optimus.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.optimus.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server: the page bundled into this jar at build time ({@code /}), and a tiny
 * JSON API: {@code /api/config} (the broker's WebSocket URL), {@code /api/recordings} (episodes for
 * replay) and {@code /api/recording?name=N} (one .mcap file, decoded in the browser).
 *
 * <p>The server holds no MQTT connection: the page connects to the broker itself over WebSocket and
 * logs in there, so the broker's roles decide what it may see and do. It is a QoS 0 subscriber like
 * any other and cannot slow a bridge down (the broker drops what a slow page cannot take).
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  static final String WEB = "/io/optimus/dashboard/web/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "txt", "text/plain; charset=utf-8", "json", "application/json");
  // protobufjs generates its decoders with Function(): 'unsafe-eval'; uPlot sizes with style attributes.
  private static final String CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; connect-src 'self' ws: wss:;"
      + " img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'";

  private final HttpServer http;
  private final ExecutorService pool;
  private final DashboardOptions options;
  private final Recordings recordings;

  private DashboardServer(HttpServer http, ExecutorService pool, DashboardOptions options) {
    this.http = http;
    this.pool = pool;
    this.options = options;
    this.recordings = options.recordings() == null ? null : new Recordings(options.recordings());
  }

  /** Starts serving; {@code port} 0 picks a free one. */
  public static DashboardServer start(DashboardOptions o) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(o.bind(), o.port()), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("dashboard cannot listen on " + o.bind() + ":" + o.port() + ": " + e.getMessage(), e);
    }
    // a few threads: one slow download must not hold up the page of another user
    ExecutorService pool = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("dashboard-http-", 0).factory());
    DashboardServer s = new DashboardServer(http, pool, o);
    http.setExecutor(pool);
    http.createContext("/", s::handle);
    http.start();
    if (DashboardServer.class.getResource(WEB + "index.html") == null) {
      LOG.warn("the dashboard page is not in this build (built with -Ddashboard.web.skip=true?): / answers 503");
    }
    LOG.info("dashboard on {} (broker {}{})", s.url(), o.brokerWs(),
        o.recordings() == null ? "" : ", recordings in " + o.recordings());
    return s;
  }

  /** {@code http://host:port/}. */
  public String url() {
    return "http://" + options.bind() + ":" + port() + "/";
  }

  /** The recordings directory (absolute), or null when none is served. */
  public Path recordingsRoot() {
    return recordings == null ? null : recordings.root();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(x, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = x.getRequestURI().getRawPath();
      switch (path) {
        case "/api/config" -> sendJson(x, config());
        case "/api/recordings" -> sendJson(x, recordings == null ? List.of() : recordings.list());
        case "/api/recording" -> sendRecording(x);
        default -> sendStatic(x, path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("dashboard request {}: {}", x.getRequestURI(), e.toString()); // the browser went away
    }
  }

  private Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("broker", options.brokerWs());
    c.put("recordings", recordings != null);
    return c;
  }

  private void sendRecording(HttpExchange x) throws IOException {
    Optional<Path> file = recordings == null ? Optional.empty() : recordings.resolve(query(x, "name"));
    if (file.isEmpty()) {
      send(x, 404, "text/plain; charset=utf-8", "no such recording\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Path p = file.get();
    long size = Files.size(p);
    x.getResponseHeaders().set("Content-Type", "application/octet-stream");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    if (x.getRequestMethod().equals("HEAD")) {
      x.getResponseHeaders().set("Content-Length", Long.toString(size));
      x.sendResponseHeaders(200, -1);
      return;
    }
    x.sendResponseHeaders(200, size == 0 ? -1 : size);
    try (OutputStream out = x.getResponseBody(); InputStream in = Files.newInputStream(p)) {
      in.transferTo(out);
    }
  }

  private void sendStatic(HttpExchange x, String path) throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (!name.matches("[A-Za-z0-9_.-]{1,64}") || name.startsWith(".")) {
      send(x, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = DashboardServer.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        boolean noPage = DashboardServer.class.getResource(WEB + "index.html") == null;
        send(x, noPage ? 503 : 404, "text/plain; charset=utf-8", (noPage
            ? "this build carries no dashboard page (built with -Ddashboard.web.skip=true)\n" : "not found\n")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body = in.readAllBytes();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      x.getResponseHeaders().set("Content-Security-Policy", CSP);
      x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      send(x, 200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
    }
  }

  private static String query(HttpExchange x, String key) {
    String q = x.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(key)) {
        try {
          return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          return null;
        }
      }
    }
    return null;
  }

  private static void sendJson(HttpExchange x, Object value) throws IOException {
    send(x, 200, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head) {
      x.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }
}
