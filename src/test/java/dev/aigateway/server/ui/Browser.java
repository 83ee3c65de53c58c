package dev.aigateway.server.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;

/**
 * A real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) driven by Selenium, with a fresh
 * profile, plus the helpers the UI tests use: waits, clicks, typing and screenshots into {@code target/ui-screenshots/}.
 * {@link #start()} returns null, with the reason in {@link #unavailableReason}, when the browser cannot run here.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("ui.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("ui.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    static String unavailableReason;

    final WebDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(WebDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            unavailableReason = "Chromium or chromedriver is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run does it).";
            return null;
        }
        Path profile = null;
        ChromeDriverService service = null;
        try {
            profile = Files.createTempDirectory("ui-chrome-profile");
            service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return new Browser(driver, service, profile);
        } catch (Exception | Error e) {
            unavailableReason = "Chromium could not be started: " + e;
            if (service != null) service.stop();
            delete(profile);
            return null;
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement waitFor(By by) {
        return waitFor(by, Duration.ofSeconds(15));
    }

    WebElement waitFor(By by, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return until(Duration.ofSeconds(15), condition);
    }

    /** Waits for a condition; the pages re-render (refresh timers, reloads), so a stale element just means "look again". */
    <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
    }

    void waitGone(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    void click(By by) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    void type(By by, String text) {
        WebElement e = waitFor(by);
        e.clear();
        e.sendKeys(text);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * The browser console's errors so far, but for failed HTTP requests (the tests provoke 401s and 403s on purpose):
     * script errors and Content-Security-Policy violations.
     */
    java.util.List<String> consoleErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /** The elements that make the page scroll sideways (null when it does not), for a readable failure. */
    String sidewaysOverflow() {
        return (String) js("""
                const w = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= w) return null;
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > w + 1 && !e.parentElement.closest('.table-wrap'))
                  .slice(0, 6).map(e => `${e.tagName}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`)
                  .join(', ') || `scrollWidth ${document.documentElement.scrollWidth} > ${w}`;
                """);
    }

    /** Like {@link #screenshot}, but of the whole page: the window grows to the page's height for the shot. */
    Path fullPageScreenshot(String name) {
        Dimension before = driver.manage().window().getSize();
        long chrome = ((Number) js("return window.outerHeight - window.innerHeight")).longValue();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        try {
            size(before.getWidth(), (int) Math.min(4000, height + chrome));
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** Saves a PNG of the page as target/ui-screenshots/{name}.png and returns its path. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(name + ".png");
            Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
