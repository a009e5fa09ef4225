package io.optimus.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.common.InputException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side without a browser: the API, the recordings' confinement, garbage requests. */
class DashboardServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<byte[]> get(DashboardServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void listsAndServesRecordingsOnlyInsideTheirDirectory(@TempDir Path dir) throws Exception {
    Path recs = Files.createDirectories(dir.resolve("recs/run-1"));
    Files.write(recs.resolve("ep1.mcap"), new byte[] {1, 2, 3});
    Files.writeString(recs.resolve("notes.txt"), "not an episode");
    Files.write(dir.resolve("secret.mcap"), new byte[] {9}); // beside, not inside
    Files.createSymbolicLink(recs.resolve("escape.mcap"), dir.resolve("secret.mcap"));
    try (DashboardServer s = DashboardServer.start(DashboardOptions.loopback(0, "ws://127.0.0.1:8000/mqtt")
        .withRecordings(dir.resolve("recs")))) {
      String list = body(get(s, "api/recordings"));
      assertTrue(list.contains("\"name\" : \"run-1/ep1.mcap\""), list);
      assertTrue(!list.contains("notes.txt") && !list.contains("escape") && !list.contains("secret"), list);
      HttpResponse<byte[]> ok = get(s, "api/recording?name=run-1/ep1.mcap");
      assertEquals(200, ok.statusCode());
      assertEquals(3, ok.body().length);
      for (String bad : List.of("../secret.mcap", "run-1/../../secret.mcap", "/etc/passwd", "run-1/escape.mcap",
          "run-1/notes.txt", "run-1//ep1.mcap", "./run-1/ep1.mcap", "run-1\\ep1.mcap", "run-1/ep1.mcap\0",
          "x".repeat(600) + ".mcap", "", "%zz")) {
        HttpResponse<byte[]> r = get(s, "api/recording?name=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
        assertEquals(404, r.statusCode(), bad);
      }
      assertEquals(404, get(s, "api/recording").statusCode(), "no name");
    }
  }

  @Test
  void servesThePageAndRefusesGarbage() throws Exception {
    try (DashboardServer s = DashboardServer.start(DashboardOptions.loopback(0, "wss://broker.example:443/mqtt"))) {
      HttpResponse<byte[]> page = get(s, "");
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
      assertTrue(body(page).contains("app.js"));
      assertEquals("{\n  \"broker\" : \"wss://broker.example:443/mqtt\",\n  \"recordings\" : false\n}",
          body(get(s, "api/config")));
      assertEquals("[ ]", body(get(s, "api/recordings")), "no recordings directory: an empty list");
      for (String bad : List.of("../pom.xml", "..%2fpom.xml", ".hidden", "a/b.js", "x".repeat(100) + ".js",
          "nope.js", "DashboardServer.class")) {
        assertEquals(404, get(s, bad).statusCode(), bad);
      }
      HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "api/config"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    }
  }

  @Test
  void badOptionsAreOneLineErrors(@TempDir Path dir) {
    for (String url : new String[] {"tcp://127.0.0.1:1883", "http://x:1/mqtt", "ws//nohost", "", "ws://:99999/x"}) {
      InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
          () -> DashboardOptions.loopback(0, url));
      assertTrue(e.getMessage().startsWith("--broker") && !e.getMessage().contains("\n"), e.getMessage());
    }
    assertThrowsInput(() -> DashboardOptions.loopback(70000, "ws://127.0.0.1:8000/mqtt"), "out of range");
    assertThrowsInput(() -> DashboardOptions.loopback(0, "ws://127.0.0.1:8000/mqtt").withRecordings(dir.resolve("x")),
        "no such directory");
  }

  private static void assertThrowsInput(org.junit.jupiter.api.function.Executable e, String what) {
    InputException x = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, e);
    assertTrue(x.getMessage().contains(what), x.getMessage());
  }
}
