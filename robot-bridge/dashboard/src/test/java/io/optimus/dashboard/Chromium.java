package io.optimus.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through Debian's chromedriver (apt: chromium chromium-driver), both
 * named explicitly so Selenium Manager never downloads a browser. Absent: the test is skipped, except on
 * CI (env CI=true), where absence fails.
 */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  private Chromium() {}

  static void assumeInstalled() {
    if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
      return;
    }
    String why = "chromium or chromium-driver not installed (" + BINARY + ", " + DRIVER + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(why + ": required on CI (add them to .ci/run PKGS)");
    }
    Assumptions.abort(why + ": skipping the browser tests (apt-get install -y chromium chromium-driver)");
  }

  /** A headless browser with a 1600x1000 window, WebGL on SwiftShader (no GPU), the console log kept. */
  static ChromeDriver start() {
    assumeInstalled();
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(BINARY.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000",
        "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--no-first-run",
        "--disable-extensions", "--disable-features=Translate,MediaRouter", "--password-store=basic");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    return new ChromeDriver(service, o);
  }

  /** The browser console's errors (SEVERE) since the last call. */
  static List<String> consoleErrors(ChromeDriver browser) {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).toList();
  }

  /** Saves a PNG under target/dashboard-screenshots/ (a CI artifact); returns its path. */
  static Path screenshot(ChromeDriver browser, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path out = SCREENSHOTS.resolve(name + ".png");
      Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
