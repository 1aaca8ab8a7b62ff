package registry.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its chromedriver: no browser is downloaded. Where it
 * is not installed the browser tests are skipped with a line saying how to install it, except in
 * CI, where a missing browser is a failure.
 */
public final class Chrome implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static String axe;

    /** Browsers a test closed, wiped and kept for the next: starting Chromium took 1.7 s of every browser test. */
    private static final Deque<Session> IDLE = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (IDLE) {
                IDLE.forEach(Session::quit);
                IDLE.clear();
            }
        }));
    }

    public final WebDriver driver;
    private final String base;
    private final Session session;

    private Chrome(Session session, String base) {
        this.session = session;
        this.driver = session.driver;
        this.base = base;
    }

    /** One Chromium and its own profile directory. */
    private record Session(ChromeDriver driver, Path profile) {
        static Session launch() {
            try {
                Path profile = Files.createTempDirectory("registry-chromium");
                ChromeOptions options = new ChromeOptions();
                options.setBinary(CHROMIUM.toString());
                // As the machine's notes say: without the networking flags Chromium tries hosts this closed network refuses.
                options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
                LoggingPreferences logs = new LoggingPreferences();
                logs.enable(LogType.BROWSER, Level.ALL);
                options.setCapability("goog:loggingPrefs", logs);
                ChromeDriverService service = new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
                ChromeDriver driver = new ChromeDriver(service, options);
                driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
                return new Session(driver, profile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Back to what a new browser has: one blank tab of the usual size, no cookies, no cache, no
         * console messages left unread. False when the browser no longer answers.
         */
        boolean wipe() {
            try {
                String first = driver.getWindowHandles().iterator().next();
                for (String handle : driver.getWindowHandles()) {
                    if (!handle.equals(first)) {
                        driver.switchTo().window(handle).close();
                    }
                }
                driver.switchTo().window(first);
                driver.get("about:blank");
                driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
                driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                driver.manage().window().setSize(new Dimension(1280, 900));
                driver.manage().logs().get(LogType.BROWSER);
                return true;
            } catch (WebDriverException e) {
                return false;
            }
        }

        void quit() {
            try {
                driver.quit();
            } catch (WebDriverException e) {
                // already gone
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile left behind is not worth failing a test for
            }
        }
    }

    /** A browser with no cookies or history for the app at {@code base}: a new Chromium, or one a test before closed and wiped. */
    public static Chrome open(String base) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String how = "browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver";
            if (System.getenv("CI") != null) {
                fail("CI runs the browser tests: " + how);
            }
            Assumptions.abort("skipped: " + how);
        }
        Session session;
        synchronized (IDLE) {
            session = IDLE.pollFirst();
        }
        return new Chrome(session != null ? session : Session.launch(), base);
    }

    public Chrome go(String path) {
        driver.get(base + path);
        return this;
    }

    /** A fresh browser signed in through the sign-in page; closed again when that fails, so no Chromium is left behind. */
    public static Chrome openSignedIn(String base, String username, String password) {
        Chrome chrome = open(base);
        try {
            return chrome.signIn(username, password);
        } catch (RuntimeException | AssertionError e) {
            chrome.close();
            throw e;
        }
    }

    /** Signs in through the sign-in page, as a person would, and waits for the page it leads to. */
    public Chrome signIn(String username, String password) {
        go("/sign-in").type("#username", username).type("#password", password);
        click("form[action='/sign-in'] button[type=submit]");
        assertThat(path()).as("signed in as " + username).doesNotStartWith("/sign-in");
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(org.openqa.selenium.By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(org.openqa.selenium.By.cssSelector(css));
    }

    public String text() {
        return find("body").getText();
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /** Clicks something that loads a new page, and waits until the new page has replaced the old. */
    public Chrome click(String css) {
        return navigates(() -> find(css).click());
    }

    /** Does {@code action} (a click, an Enter) and waits for the page it loads. */
    public Chrome navigates(Runnable action) {
        WebElement old = find("html");
        action.run();
        // The old page is gone once its root can no longer be asked anything. Mid-navigation Chrome
        // sometimes answers with an inspector error rather than "stale element": gone all the same.
        wait(Duration.ofSeconds(15)).until(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (WebDriverException e) {
                return true;
            }
        });
        wait(Duration.ofSeconds(15)).until(d -> "complete".equals(
                ((JavascriptExecutor) d).executeScript("return document.readyState")));
        return this;
    }

    /**
     * A wait that asks every 20 ms: WebDriver's default of 500 ms added half a second to every
     * page a test loaded, most of a browser test's time.
     */
    public WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(20));
        return wait;
    }

    /** Types into a field, replacing what it held. */
    public Chrome type(String css, String value) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(value);
        return this;
    }

    /** Presses Tab until the focused element passes {@code test} (at most 60 times). */
    public WebElement tabTo(Predicate<WebElement> test, String what) {
        for (int i = 0; i < 60; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement focused = driver.switchTo().activeElement();
            if (test.test(focused)) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached " + what + " on " + driver.getCurrentUrl());
    }

    /**
     * Checks the page as a careful person would: no console errors (a CSP violation is one), no
     * request to another host, every stylesheet and script loaded, no axe-core violation of
     * impact serious or critical, nothing wider than a phone's screen; and keeps screenshots at
     * desktop and phone widths under target/screenshots/.
     */
    public Chrome check(String name) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        // The page itself may answer 404, 409 or 422 on purpose; Chrome logs that as an error too.
        String document = driver.getCurrentUrl();
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().startsWith(document + " - Failed to load resource: the server responded with a status of 4"))
                .toList();
        assertThat(errors).as("console errors on " + name).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources = (List<Map<String, Object>>) js.executeScript(
                "return performance.getEntriesByType('resource').map(e => ({name: e.name, type: e.initiatorType, status: e.responseStatus}))");
        for (Map<String, Object> resource : resources) {
            String url = String.valueOf(resource.get("name"));
            assertThat(url).as("request from " + name).matches(u -> u.startsWith(base) || u.startsWith("data:"), "is on this host");
            if (url.startsWith(base)) {
                assertThat(((Number) resource.get("status")).intValue()).as(url + " from " + name).isEqualTo(200);
            }
        }
        assertThat(accessibilityProblems()).as("axe-core serious or critical violations on " + name).isEmpty();
        screenshot(name, 1280, 900);
        screenshot(name, 390, 844);
        Number overflow = (Number) js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).as("page wider than a phone screen on " + name).isLessThanOrEqualTo(0);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return this;
    }

    private List<String> accessibilityProblems() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript(axeSource());
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) result;
        return problems;
    }

    private static synchronized String axeSource() {
        if (axe == null) {
            String resource = "META-INF/resources/webjars/axe-core/" + System.getProperty("axe.version", "4.6.3") + "/axe.min.js";
            try (InputStream in = Chrome.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new AssertionError("axe-core is not on the test class path: " + resource);
                }
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axe;
    }

    private void screenshot(String name, int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (session.wipe()) {
            synchronized (IDLE) {
                IDLE.push(session);
            }
        } else {
            session.quit();
        }
    }

    public static String describe(List<WebElement> elements) {
        return elements.stream().map(WebElement::getText).collect(Collectors.joining(" | "));
    }
}
