package io.optimus.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.optimus.bridge.BridgeConfig;
import io.optimus.bridge.RobotBridge;
import io.optimus.bridge.broker.BrokerOptions;
import io.optimus.bridge.broker.EmbeddedBroker;
import io.optimus.bridge.mqtt.MqttEndpoint;
import io.optimus.bridge.mqtt.MqttSettings;
import io.optimus.bridge.mqtt.Topics;
import io.optimus.bridge.mqtt.LastWill;
import io.optimus.bridge.mqtt.auth.BrokerUser;
import io.optimus.bridge.mqtt.auth.BrokerUsers;
import io.optimus.bridge.mqtt.auth.PasswordFile;
import io.optimus.bridge.mqtt.auth.PasswordHash;
import io.optimus.bridge.mqtt.auth.Role;
import io.optimus.bridge.testing.Await;
import io.optimus.bridge.testing.Operator;
import io.optimus.common.FileTrees;
import io.optimus.motion.model.RobotRig;
import io.optimus.motion.model.Robots;
import io.optimus.motion.record.EpisodeReader;
import io.optimus.motion.record.EpisodeTopics;
import io.optimus.proto.v1.ControlReply;
import io.optimus.proto.v1.ControlRequest;
import io.optimus.proto.v1.JointState;
import io.optimus.proto.v1.StartRecordingRequest;
import io.optimus.proto.v1.StopRecordingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless chromium against eight real simulated bridges on an embedded
 * HiveMQ with a password file and its WebSocket listener: the page's own MQTT login decides what it
 * may do. Screenshots go to target/dashboard-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final int ROBOTS = 8;
  static final Map<String, String> PASSWORDS = Map.of("pilot", "pilot-pw-1", "viewer", "viewer-pw-1", "boss", "boss-pw-1");

  Path dir;
  EmbeddedBroker broker;
  final List<RobotBridge> bridges = new ArrayList<>();
  DashboardServer server;
  ChromeDriver browser;
  MqttEndpoint pilot;
  final AtomicBoolean driving = new AtomicBoolean(true);
  Thread driver;
  final Map<Long, double[]> states = new ConcurrentHashMap<>();
  final AtomicLong r1States = new AtomicLong();
  volatile io.optimus.proto.v1.ControlMode r1Mode = io.optimus.proto.v1.ControlMode.CONTROL_MODE_UNSPECIFIED;
  int elbow;
  Path episode;

  @BeforeAll
  void start() throws Exception {
    Chromium.assumeInstalled();
    dir = Files.createTempDirectory("dashboard-test-");
    List<BrokerUser> users = new ArrayList<>();
    for (int i = 1; i <= ROBOTS; i++) {
      users.add(user("bridge-r" + i, Role.BRIDGE, List.of("r" + i), "bridge-pw-" + i));
    }
    List<String> all = java.util.stream.IntStream.rangeClosed(1, ROBOTS).mapToObj(i -> "r" + i).toList();
    users.add(user("pilot", Role.OPERATOR, all, PASSWORDS.get("pilot")));
    users.add(user("viewer", Role.OBSERVER, List.of(Role.ALL_ROBOTS), PASSWORDS.get("viewer")));
    users.add(user("boss", Role.SUPERVISOR, List.of("r2"), PASSWORDS.get("boss")));
    Path passwd = dir.resolve("passwd");
    PasswordFile.write(passwd, BrokerUsers.of(users));
    broker = EmbeddedBroker.start(BrokerOptions.loopback(0).withUsers(PasswordFile.read(passwd)).withWebSocket(0));

    RobotRig rig = new RobotRig(Robots.load("optimus"));
    elbow = rig.model().qIndex("right_elbow_joint");
    Path recordings = Files.createDirectories(dir.resolve("recordings"));
    for (int i = 1; i <= ROBOTS; i++) {
      String id = "r" + i;
      // Eight bridges on a 2-core machine: the kinematic world (no Bullet stepping) and, beside r1 (the one
      // watched in 3D at the full 250 Hz), 100 Hz loops and no cameras keep the CPU for the browser.
      BridgeConfig c = BridgeConfig.defaults(id).withWorld("kinematic")
          .withCamera(i == 1 ? 2 : 0).withRate(i == 1 ? 250 : 100).withRecordDir(i == 1 ? recordings : null);
      bridges.add(RobotBridge.builder(rig, c)
          .mqtt(MqttSettings.of(broker.url(), "bridge-" + id).withCredentials("bridge-" + id, "bridge-pw-" + i))
          .retargeter((f, dt, q, out) -> {
            System.arraycopy(rig.home(), 0, out, 0, out.length);
            out[elbow] = -1.2 * f.getRight().getTrigger(); // the operator's trigger bends the right elbow
          })
          .start());
    }
    pilot = MqttEndpoint.connect(MqttSettings.of(broker.url(), "pilot-rig").withCredentials("pilot", PASSWORDS.get("pilot")),
        LastWill.operatorOffline("pilot", "r1"));
    pilot.subscribe(Topics.state("r1"), 0, JointState.parser(), (t, s) -> {
      states.put(s.getSequence(), s.getPositionList().stream().mapToDouble(Double::doubleValue).toArray());
      r1Mode = s.getMode();
      r1States.incrementAndGet();
      if (states.size() > 20_000) {
        states.keySet().removeIf(k -> k < s.getSequence() - 10_000);
      }
    });
    driver = Thread.ofPlatform().daemon().name("test-operator").start(this::drive);
    server = DashboardServer.start(DashboardOptions.loopback(0, broker.wsUrl()).withRecordings(recordings));
    browser = Chromium.start();
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  private static BrokerUser user(String name, Role role, List<String> robots, String password) {
    return new BrokerUser(name, role, robots, PasswordHash.of(password.toCharArray(), PasswordHash.MIN_ITERATIONS));
  }

  /**
   * The pilot's rig at 90 Hz: deadman held, the trigger sweeping, so r1's elbow keeps moving. While r1 is
   * not engaged the deadman is released and pressed again (the bridge engages only on a fresh press).
   */
  private void drive() {
    Operator op = new Operator(pilot, "r1", "pilot", "s1");
    long n = 0;
    long t0 = System.nanoTime();
    while (driving.get()) {
      double t = (System.nanoTime() - t0) / 1e9;
      boolean engaged = r1Mode == io.optimus.proto.v1.ControlMode.CONTROL_MODE_ENGAGED;
      op.send(engaged || n++ % 30 > 10, (float) (0.5 + 0.45 * Math.sin(2 * Math.PI * 0.5 * t)));
      LockSupport.parkNanos(11_000_000L);
    }
  }

  @AfterAll
  void stop() {
    driving.set(false);
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (pilot != null) {
      pilot.close();
    }
    bridges.forEach(RobotBridge::close);
    if (broker != null) {
      broker.close();
    }
    FileTrees.deleteQuietly(dir);
  }

  // ---- page helpers ----

  private void open(String hash) {
    browser.get("about:blank"); // a new page load even when only the #fragment differs
    browser.get(server.url() + (hash == null ? "" : "#" + hash));
    Chromium.consoleErrors(browser); // the log is read per page: start empty
  }

  private void login(String user, String robots) {
    WebElement form = new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.id("login")).isDisplayed() ? d.findElement(By.id("login")) : null);
    form.findElement(By.id("login-user")).sendKeys(user);
    form.findElement(By.id("login-password")).sendKeys(PASSWORDS.get(user));
    if (robots != null) {
      form.findElement(By.id("login-robots")).sendKeys(robots);
    }
    form.findElement(By.id("login-submit")).click();
    waitFor("connected as " + user, "return window.__dash.connected === true");
  }

  private Object js(String script, Object... args) {
    return browser.executeScript(script, args);
  }

  private void waitFor(String what, String script) {
    Await.until(() -> Boolean.TRUE.equals(js(script)), 30_000, () -> "the page: " + what);
  }

  private List<String> fleetRows() {
    return browser.findElements(By.cssSelector("#fleet-table tbody tr")).stream().map(WebElement::getText).toList();
  }

  private double[] samples(String name) {
    return ((List<?>) js("return window.__dash." + name)).stream().mapToDouble(o -> ((Number) o).doubleValue()).sorted()
        .toArray();
  }

  /** The 1-minute load average (/proc/loadavg), or 0 where there is none. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * A wall-clock timing target (the issue's 100 ms on loopback). On a machine running more than twice as many
   * runnable threads as it has cores (other builds), the browser gets a fraction of a core and the figure
   * says nothing about the page: it is printed and the test aborted as inconclusive, not passed.
   */
  private static void judgeTiming(String what, boolean met) {
    if (met) {
      return;
    }
    double load = loadAverage();
    int cores = Runtime.getRuntime().availableProcessors();
    if (load > 2 * cores && !"true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.abort("inconclusive on an overloaded machine (load " + load + " on " + cores
          + " cores): " + what);
    }
    throw new AssertionError(what + " (load average " + load + " on " + cores + " cores)");
  }

  private static double quantile(double[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
  }

  // ---- tests ----

  @Test
  @Order(1)
  void pageLoadsWithoutConsoleErrors() {
    open(null);
    login("viewer", null);
    waitFor("robot r1 listed", "return document.querySelector('#fleet-table tr[data-robot=r1]') !== null");
    browser.findElement(By.cssSelector("#fleet-table tr[data-robot=r1]")).click();
    waitFor("r1's model loaded and drawn", "return window.__dash.rendered !== null");
    waitFor("a camera frame", "return document.querySelector('#cameras canvas') !== null");
    LockSupport.parkNanos(1_000_000_000L);
    Chromium.screenshot(browser, "01-robot-r1");
    assertEquals(List.of(), Chromium.consoleErrors(browser), "the browser console has no errors");
  }

  @Test
  @Order(2)
  void fleetListsEightRobotsLive() {
    open(null);
    login("viewer", null);
    Await.until(() -> fleetRows().size() == ROBOTS && fleetRows().stream().allMatch(r -> r.contains("online")), 30_000,
        () -> "eight robots online in the fleet table: " + fleetRows());
    assertTrue(browser.findElement(By.id("fleet-count")).getText().startsWith("8 online"),
        browser.findElement(By.id("fleet-count")).getText());
    Chromium.screenshot(browser, "02-fleet");
    // live: a bridge that goes away turns offline in the open page (its status, then its Last Will)
    bridges.get(ROBOTS - 1).close();
    Await.until(() -> fleetRows().stream().anyMatch(r -> r.startsWith("r8") && r.contains("offline")), 15_000,
        () -> "r8 offline in the page: " + fleetRows());
    assertEquals(ROBOTS - 1, fleetRows().stream().filter(r -> r.contains("online") && !r.contains("offline")).count());
    assertEquals(List.of(), Chromium.consoleErrors(browser));
  }

  @Test
  @Order(3)
  void estopButtonLatchesTheBridgeWithin100Ms() {
    RobotBridge r2 = bridges.get(1);
    open("robot=r2");
    login("pilot", "r1,r2,r3,r4,r5,r6,r7,r8");
    waitFor("r2's model", "return window.__dash.rendered !== null || document.getElementById('view3d-note').textContent.includes('joints')");
    assertFalse(r2.supervisor().estopLatched());
    WebElement estop = browser.findElement(By.id("estop"));
    AtomicLong latchedAt = new AtomicLong(); // wall clock, microseconds
    Thread watch = Thread.ofPlatform().start(() -> {
      long end = System.nanoTime() + 5_000_000_000L;
      while (!r2.supervisor().estopLatched() && System.nanoTime() < end) {
        LockSupport.parkNanos(100_000L);
      }
      java.time.Instant now = java.time.Instant.now();
      latchedAt.set(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
    });
    // when each frame leaves the page for the broker (the real WebSocket still sends it)
    js("window.__sends = []; const send = WebSocket.prototype.send; WebSocket.prototype.send = function (d) {"
        + " window.__sends.push({ at: performance.now(), bytes: d.byteLength || d.length || 0 }); return send.call(this, d); }");
    estop.click();
    Await.until(() -> latchedAt.get() != 0, 10_000, "the watcher ends");
    assertTrue(r2.supervisor().estopLatched(), "the dashboard's e-stop latched r2");
    // From the click event's time stamp in the page (the input reaching the browser) to the bridge's latch,
    // both on this host's wall clock: the page's queueing, the WebSocket, the broker and the bridge.
    double clickWallMs = ((Number) js("return window.__dash.estop.clickWallMs")).doubleValue();
    double ms = latchedAt.get() / 1000.0 - clickWallMs;
    System.out.printf(Locale.ROOT, "dashboard e-stop: click -> bridge latch %.1f ms%n", ms);
    System.out.println("dashboard e-stop in the page: " + js("return JSON.stringify(window.__dash.estop)"));
    // the first frame after the publish call big enough for the request (acks and pings are 2-4 bytes)
    double onWire = ((Number) js("const e = window.__dash.estop;"
        + " const s = window.__sends.find((x) => x.at >= e.publishAt && x.bytes > 40); return s ? s.at - e.publishAt : -1"))
        .doubleValue();
    System.out.printf(Locale.ROOT, "dashboard e-stop: publish call -> WebSocket send %.1f ms%n", onWire);
    waitFor("the page shows the latch", "return document.getElementById('robot-mode').textContent.includes('E-STOP')");
    Object seen = js("const e = window.__dash.estop; return e.latchedSeenAt - e.clickAt");
    System.out.printf(Locale.ROOT, "dashboard e-stop: click -> latch shown in the page %.1f ms%n", ((Number) seen).doubleValue());
    Chromium.screenshot(browser, "03-estop-latched");
    assertFalse(bridges.get(2).supervisor().estopLatched(), "only r2");
    assertEquals(List.of(), Chromium.consoleErrors(browser));
    assertTrue(onWire >= 0, "the e-stop's frame left the page");
    // mqtt.js would flush on a setTimeout(0), behind whatever else the page has queued (66 ms measured)
    judgeTiming("publish call to WebSocket send " + String.format(Locale.ROOT, "%.1f", onWire) + " ms", onWire <= 10);
    judgeTiming("click to latch " + String.format(Locale.ROOT, "%.1f", ms) + " ms", ms <= 100);
  }

  @Test
  @Order(4)
  void supervisorResetsTheLatchFromThePage() {
    RobotBridge r2 = bridges.get(1);
    assertTrue(r2.supervisor().estopLatched(), "latched by the e-stop test");
    open("robot=r2");
    login("boss", "r2");
    waitFor("r2's latch shown", "return document.getElementById('robot-mode').textContent.includes('E-STOP')");
    browser.findElement(By.id("reset")).click();
    Await.until(() -> !r2.supervisor().estopLatched(), 10_000, "the supervisor's reset (supervise/boss) clears r2's latch");
    waitFor("the bridge's answer shown", "return document.getElementById('action-result').textContent.includes('accepted')");
    Chromium.screenshot(browser, "04-supervisor-reset");
    assertEquals(List.of(), Chromium.consoleErrors(browser));
  }

  @Test
  @Order(5)
  void viewerEstopIsRefusedAndThePageSaysSo() {
    RobotBridge r3 = bridges.get(2);
    open("robot=r3");
    login("viewer", null);
    waitFor("r3's header", "return document.getElementById('robot-mode').textContent !== '—'");
    browser.findElement(By.id("estop")).click();
    waitFor("the refusal shown", "return document.getElementById('action-result').className.includes('refused')");
    String shown = browser.findElement(By.id("action-result")).getText();
    assertTrue(shown.contains("REFUSED") && shown.contains("not authorized"), shown);
    LockSupport.parkNanos(500_000_000L); // the bridge would have latched by now had the request passed
    assertFalse(r3.supervisor().estopLatched(), "the broker kept the viewer's e-stop from the bridge");
    waitFor("still connected", "return window.__dash.connected === true");
    Chromium.screenshot(browser, "05-viewer-refused");
    System.out.println("r3 base pose in the page: " + js("return JSON.stringify(window.__dash.basePose)"));
  }

  @Test
  @Order(6)
  void robotFollowsTheStateStreamWithin100MsP99() {
    open("robot=r1");
    login("viewer", null);
    waitFor("r1's model", "return window.__dash.rendered !== null");
    LockSupport.parkNanos(2_000_000_000L); // past the page's start (model parsing, first frames)
    js("window.__dash.latencyMs.length = 0; window.__dash.publishToRenderMs.length = 0");
    List<double[]> checked = new ArrayList<>();
    // At least 8 s, and on until 100 frames are drawn (at most 30 s), so that a p99 is one: a browser starved of
    // the cores draws fewer frames per second, which makes the sample short, not the page slow.
    long start = System.nanoTime();
    long minEnd = start + 8_000_000_000L;
    long maxEnd = start + 30_000_000_000L;
    while (System.nanoTime() < minEnd
        || (System.nanoTime() < maxEnd && ((Number) js("return window.__dash.latencyMs.length")).intValue() <= 100)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) js("return window.__dash.rendered");
      long seq = ((Number) r.get("sequence")).longValue();
      double shown = ((Number) ((Map<?, ?>) r.get("joints")).get("right_elbow_joint")).doubleValue();
      double[] sent = states.get(seq);
      if (sent != null) {
        assertEquals(sent[elbow], shown, 1e-6, "the drawn elbow is the state's (sequence " + seq + ")");
        checked.add(new double[] {seq, shown});
      }
      LockSupport.parkNanos(150_000_000L);
    }
    double[] lat = samples("latencyMs");
    double[] e2e = samples("publishToRenderMs");
    double[] render = samples("renderMs");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "dashboard frames: %d drawn in %.1f s, draw call p50 %.1f ms; load average %.1f on %d cores%n",
        lat.length, seconds, render.length == 0 ? 0 : quantile(render, 0.5), loadAverage(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "dashboard state arrival -> rendered frame: %d frames, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        lat.length, quantile(lat, 0.5), quantile(lat, 0.99), lat[lat.length - 1]);
    System.out.printf(Locale.ROOT, "dashboard state published -> rendered frame: %d frames, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        e2e.length, quantile(e2e, 0.5), quantile(e2e, 0.99), e2e[e2e.length - 1]);
    assertTrue(checked.size() >= 20, "rendered states matched to sent ones: " + checked.size());
    double lo = checked.stream().mapToDouble(c -> c[1]).min().orElseThrow();
    double hi = checked.stream().mapToDouble(c -> c[1]).max().orElseThrow();
    assertTrue(hi - lo > 0.3, "the drawn elbow moved with the operator: " + lo + " .. " + hi);
    Chromium.screenshot(browser, "06-robot-moving");
    judgeTiming(String.format(Locale.ROOT, "frames drawn in %.1f s: %d", seconds, lat.length), lat.length > 100);
    judgeTiming("state arrival -> rendered frame p99 " + quantile(lat, 0.99) + " ms", quantile(lat, 0.99) <= 100);
    judgeTiming("state published -> rendered frame p99 " + quantile(e2e, 0.99) + " ms", quantile(e2e, 0.99) <= 100);
  }

  @Test
  @Order(7)
  void replayShowsARecordedEpisode() throws Exception {
    RobotBridge r1 = bridges.get(0);
    ControlReply started = r1.handle(ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("rec-1")
        .setRequester("pilot").setStartRecording(StartRecordingRequest.newBuilder().setTask("pick-place")).build());
    assertTrue(started.getOk(), started.getMessage());
    LockSupport.parkNanos(3_000_000_000L);
    ControlReply stopped = r1.handle(ControlRequest.newBuilder().setSchemaVersion(1).setRequestId("rec-2")
        .setRequester("pilot").setStopRecording(StopRecordingRequest.getDefaultInstance()).build());
    assertTrue(stopped.getOk(), stopped.getMessage());
    episode = Path.of(stopped.getEpisodePath());
    long recordedStates;
    try (EpisodeReader reader = EpisodeReader.open(episode)) {
      recordedStates = reader.messageCount(EpisodeTopics.STATE);
    }
    open(null);
    login("viewer", null);
    String name = server.recordingsRoot().relativize(episode.toAbsolutePath().normalize()).toString();
    waitFor("the episode listed", "return [...document.querySelectorAll('#recording-list option')].some(o => o.value === '"
        + name + "')");
    js("document.getElementById('recording-list').value = arguments[0]", name);
    browser.findElement(By.id("recording-open")).click();
    Await.until(() -> Boolean.TRUE.equals(js("return window.__dash.replay != null && window.__dash.replay.states > 0")),
        30_000, () -> "the episode decoded: " + browser.findElement(By.id("recording-status")).getText()
            + " " + Chromium.consoleErrors(browser));
    assertEquals(recordedStates, ((Number) js("return window.__dash.replay.states")).longValue(),
        "the page decoded every recorded state");
    // scrub to three quarters: the drawn robot is the recorded state there
    js("const s = document.getElementById('replay-scrub'); s.value = String(Math.floor(s.max * 0.75));"
        + " s.dispatchEvent(new Event('input'))");
    waitFor("the scrubbed state drawn", "return window.__dash.rendered.sequence === window.__dash.replay.sequence");
    LockSupport.parkNanos(500_000_000L);
    Chromium.screenshot(browser, "07-replay");
    assertEquals(List.of(), Chromium.consoleErrors(browser));
  }

  /**
   * The page is one more QoS 0 subscriber: with its JavaScript frozen for 4 s (a hung tab), the bridge's
   * state stream to another subscriber keeps its rate, and the page catches up afterwards.
   */
  @Test
  @Order(8)
  void aFrozenPageDoesNotDelayTheBridge() throws Exception {
    open("robot=r1");
    login("viewer", null);
    waitFor("r1 drawn", "return window.__dash.rendered !== null");
    long n0 = r1States.get();
    long t0 = System.nanoTime();
    LockSupport.parkNanos(3_000_000_000L);
    double before = (r1States.get() - n0) / ((System.nanoTime() - t0) / 1e9);
    Thread freeze = Thread.ofPlatform().start(() ->
        js("const end = Date.now() + 4000; while (Date.now() < end) { /* a hung page */ }"));
    LockSupport.parkNanos(300_000_000L);
    long n1 = r1States.get();
    long t1 = System.nanoTime();
    LockSupport.parkNanos(3_000_000_000L);
    double during = (r1States.get() - n1) / ((System.nanoTime() - t1) / 1e9);
    freeze.join(20_000);
    System.out.printf(Locale.ROOT, "r1 states to another subscriber: %.0f/s before, %.0f/s while the page is frozen%n",
        before, during);
    assertTrue(during >= 0.8 * before, "the bridge's stream kept its rate: " + before + " -> " + during + " /s");
    long seq = ((Number) js("return window.__dash.rendered.sequence")).longValue();
    Await.until(() -> ((Number) js("return window.__dash.rendered.sequence")).longValue() > seq + 100, 20_000,
        "the page draws new states again after the freeze");
  }
}
