package io.optimus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code optimus dashboard} through the real CLI: it serves the bundled page; bad options are one line, exit 2. */
class DashboardCliTest {
  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = OptimusCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @Test
  void aTcpBrokerUrlIsRefusedWithTheFix() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "dashboard", "--broker", "tcp://127.0.0.1:1883", "--port", "0"));
    String e = err.toString().strip();
    assertTrue(e.startsWith("optimus dashboard: --broker tcp://127.0.0.1:1883: the page connects over WebSocket"), e);
    assertTrue(!e.contains("\n") && !e.contains("Exception"), e);
  }

  @Test
  void aMissingRecordingsDirectoryIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    StringWriter err = new StringWriter();
    String missing = dir.resolve("nope").toString();
    assertEquals(2, run(new StringWriter(), err, "dashboard", "--recordings", missing, "--port", "0"));
    assertEquals("optimus dashboard: --recordings " + missing + ": no such directory", err.toString().strip());
  }

  @Test
  void servesTheBundledPageAndTheBrokerUrl() throws Exception {
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread t = Thread.ofPlatform().start(() -> exit.set(run(out, new StringWriter(), "dashboard", "--port", "0",
        "--broker", "ws://127.0.0.1:8000/mqtt", "--duration", "20")));
    long end = System.nanoTime() + 20_000_000_000L;
    while (!out.toString().contains("http://") && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    String url = out.toString().strip();
    assertTrue(url.startsWith("http://127.0.0.1:"), url);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Optimus dashboard</title>"), page.body());
    HttpResponse<String> app = http.send(HttpRequest.newBuilder(URI.create(url + "app.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, app.statusCode());
    assertTrue(app.body().length() > 100_000, "the bundle (three.js, mqtt.js, ...) is in the jar");
    HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(url + "api/config")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(config.body().contains("\"broker\" : \"ws://127.0.0.1:8000/mqtt\""), config.body());
    t.interrupt(); // the command's latch wait ends; the daemon HTTP threads go with the test JVM
  }
}
