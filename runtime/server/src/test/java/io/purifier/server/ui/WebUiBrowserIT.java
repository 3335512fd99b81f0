package io.purifier.server.ui;

import io.purifier.client.ApiClient;
import io.purifier.server.PurifierServer;
import io.purifier.server.TestBundles;
import io.purifier.server.TestHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real browser (headless Chromium) against the real server with the sample plugins: sign in,
 * build a pipeline from the generated forms, see a bad value rejected next to its field, run it and watch the
 * progress, read the run page's metrics and charts, compare two runs, and deploy and remove a bundle while the
 * component list follows live. Every step saves a screenshot under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String COPY_BSN = "io.purifier.sample-plugins-copy";

    @TempDir
    static Path dir;
    PurifierServer server;
    String base;
    String adminToken;
    ChromeDriverService service;
    ChromeDriver driver;
    WebDriverWait wait;
    Path modelFile;
    Path copyJar;
    long firstRun;
    long secondRun;
    String mainWindow;

    @BeforeAll
    void start() throws Exception {
        Path home = TestHome.create(dir, true);
        // the ONNX format next to the sample plugins: its upload form and the defenses' output formats are checked
        Files.copy(TestHome.itBundles().resolve("builtin").resolve("format-onnx.jar"), home.resolve("bundles/format-onnx.jar"));
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, null);
        base = "http://127.0.0.1:" + server.port() + "/";
        adminToken = TestHome.adminToken(home);
        modelFile = Files.writeString(dir.resolve("blobs-backdoor.txt"), TestHome.backdooredSampleModel());
        copyJar = TestBundles.withIdentity(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS),
                dir.resolve("sample-plugins-copy.jar"), COPY_BSN, "9.9.9");
        Files.createDirectories(SCREENSHOTS);

        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")),
                "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // live views re-render while a condition is checked
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private void screenshot(String name) throws Exception {
        Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A screenshot of the whole page (the window grows to the page height, then returns to 1280x900). */
    private void fullScreenshot(String name) throws Exception {
        long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 140, 4000)));
        screenshot(name);
        driver.manage().window().setSize(before);
    }

    private WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private WebElement field(String path) {
        return visible("[data-path='" + path + "']");
    }

    private void waitText(String css, String text) {
        wait.withMessage(() -> "'" + css + "' to contain '" + text + "'")
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    private void typeInto(String path, String value) {
        WebElement input = field(path).findElement(By.cssSelector("input"));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), value);
    }

    private void select(String css, String value) {
        new Select(visible(css)).selectByValue(value);
    }

    /** Whether any element matching css contains text, checked in one script (the page re-renders while we look). */
    private boolean anyContains(String css, String text) {
        return (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]))", css, text);
    }

    private int progressOf(String css) {
        return Integer.parseInt(visible(css).getAttribute("aria-valuenow"));
    }

    private void signIn(String token) {
        WebElement input = visible("#signin-token");
        input.clear();
        input.sendKeys(token, Keys.ENTER);
    }

    private long currentRunId() {
        wait.until(d -> d.getCurrentUrl().matches(".*#/runs/\\d+$"));
        String url = driver.getCurrentUrl();
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    private void awaitValidation(String state) {
        wait.withMessage(() -> "validation state " + state + ", was: " + driver.findElement(By.id("validation-status")).getText())
                .until(d -> d.findElement(By.id("validation-status")).getAttribute("class").contains(state));
    }

    // ---- the scenario ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void signs_in_and_opens_the_example_pipeline_with_its_missing_parts_flagged() throws Exception {
        driver.get(base);
        visible("#signin-token");
        screenshot("01-sign-in");

        signIn("pur_not-a-real-token");
        waitText("#signin-message", "not accepted");
        screenshot("02-sign-in-refused");

        signIn(adminToken);
        waitText("#who", "admin");
        mainWindow = driver.getWindowHandle();
        assertTrue(driver.findElement(By.id("signin")).getAttribute("hidden") != null, "the sign-in form is hidden");
        // First open: the example preset, whose FST defense and zoo training this test server does not have.
        assertEquals("Example: BadNets on Fashion-MNIST, small CNN, FST with 5% clean data",
                field("name").findElement(By.tagName("input")).getAttribute("value"));
        waitText("[data-path='defenses[0]']", "The defense 'fst' is not installed on this server");
        waitText("#no-trainer", "cannot train models");
        awaitValidation("problems");
        waitText("#problem-list", "defenses[0].id");
        fullScreenshot("03-example-preset");
    }

    @Test
    @Order(2)
    void builds_a_pipeline_from_the_generated_forms_and_names_the_field_of_a_bad_value() throws Exception {
        visible("#new-pipeline").click();
        select("[data-path='dataset.id'] select", "sample-blobs");
        // The dataset form is generated from its descriptor: three integer fields with their defaults.
        assertEquals("90", field("dataset.params.trainSize").findElement(By.tagName("input")).getAttribute("value"));
        waitText("[data-path='dataset.params.trainSize'] .help", "3 – 10000");

        visible("[data-key='model-source-upload']").click();
        // ONNX is offered with its class names and normalization, read from the format's descriptor
        select("select[name='model-format']", "onnx");
        field("upload.params.mean");
        field("upload.params.std");
        field("upload.params.classNames");
        assertEquals(".onnx", visible("input[name='model-file']").getAttribute("accept"));
        select("select[name='model-format']", "sample-linear");
        visible("input[name='model-file']").sendKeys(modelFile.toAbsolutePath().toString());
        visible("#upload-model").click();
        waitText(".facts", "blobs-backdoor.txt");
        waitText(".facts", "1x4x4");

        select("[data-path='attack.id'] select", "sample-corner");
        visible("#add-defense").click();
        waitText("[data-path='defenses[0]']", "Needs labeled clean data");
        // the purified model's download formats: ticking ONNX adds outputFormats, clearing it leaves them out
        waitText("[data-path='defenses[0].outputFormats']", "ONNX model (.onnx)");
        visible("[data-key='defenses[0]-output-onnx']").click();
        wait.until(d -> d.findElement(By.id("pipeline-json")).getAttribute("value").contains("\"outputFormats\""));
        assertTrue(visible("#pipeline-json").getAttribute("value").contains("\"onnx\""));
        visible("[data-key='defenses[0]-output-onnx']").click();
        wait.until(d -> !d.findElement(By.id("pipeline-json")).getAttribute("value").contains("\"outputFormats\""));
        visible("[data-key='metric-sample-accuracy']").click();

        typeInto("defenses[0].params.factor", "99");
        waitText("[data-path='defenses[0].params.factor'] .field-error", "must be at most 10");
        waitText("[data-path='defenses[0].params.factor'] .server-error", "must be at most 10");
        waitText("#problem-list", "defenses[0].params.factor");
        assertEquals("true", field("defenses[0].params.factor").findElement(By.tagName("input")).getAttribute("aria-invalid"));
        visible("#run-pipeline").click();
        waitText("#builder-error", "Fix the 1 field marked in red");
        assertTrue(driver.getCurrentUrl().endsWith("#/builder") || !driver.getCurrentUrl().contains("#/runs/"), "no run started");
        fullScreenshot("04-invalid-value-rejected");

        typeInto("defenses[0].params.factor", "0");
        select("[data-path='defenses[0].params.failMode'] select", "slow");
        typeInto("defenses[0].params.seconds", "3");
        typeInto("name", "browser slow run");
        awaitValidation("ok");
        String json = visible("#pipeline-json").getAttribute("value");
        assertTrue(json.contains("\"failMode\": \"slow\"") && json.contains("\"id\": \"sample-corner\""), json);
        screenshot("05-valid-pipeline");
    }

    @Test
    @Order(3)
    void runs_the_pipeline_and_watches_the_progress_bar_reach_100_percent() throws Exception {
        visible("#run-pipeline").click();
        firstRun = currentRunId();
        wait.withMessage("the run progress to be seen between 1% and 99%")
                .until(d -> {
                    int p = progressOf("#run-progress");
                    return p > 0 && p < 100;
                });
        waitText("#run-status", "running");
        screenshot("06-run-in-progress");
        new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .withMessage("the run to reach 100%")
                .until(d -> progressOf("#run-progress") == 100);
        waitText("#run-status", "succeeded");
        screenshot("07-run-finished");

        visible("a[data-nav='runs']").click();
        WebElement row = visible("#runs-table tr[data-run-id='" + firstRun + "']");
        assertEquals("100", row.findElement(By.cssSelector("[role='progressbar']")).getAttribute("aria-valuenow"));
        assertTrue(row.getText().contains("succeeded"), row.getText());
        screenshot("08-run-list");
    }

    @Test
    @Order(4)
    void the_run_page_shows_metrics_before_and_after_each_step_with_a_chart_and_curves() throws Exception {
        driver.get(base + "#/runs/" + firstRun);
        WebElement table = visible("#metrics-table");
        WebElement asr = table.findElement(By.cssSelector("tr[data-metric='ASR']"));
        // The backdoored model: every triggered image goes to class 0 (100%); factor 0 cuts the trigger weight.
        List<WebElement> asrCells = asr.findElements(By.cssSelector("td"));
        assertEquals(2, asrCells.size(), asr.getText());
        assertTrue(asrCells.get(0).getText().startsWith("100.00%"), asr.getText());
        assertFalse(asrCells.get(1).getText().startsWith("100.00%"), asr.getText());
        assertTrue(table.findElement(By.cssSelector("tr[data-metric='ACC']")).getText().contains("%"));
        assertTrue(driver.findElements(By.cssSelector("#metrics-chart rect.bar")).size() >= 4, "bars for ACC and ASR per step");
        assertFalse(driver.findElements(By.cssSelector("#curves svg polyline")).isEmpty(), "a loss curve");
        wait.withMessage("trigger pictures to load").until(d -> {
            List<WebElement> images = d.findElements(By.cssSelector("#pictures img"));
            return !images.isEmpty() && images.stream().allMatch(i -> ((Number) ((JavascriptExecutor) d)
                    .executeScript("return arguments[0].naturalWidth", i)).intValue() > 0);
        });
        waitText("#provenance", "sample-blobs");
        waitText("#artifacts", "purified model");
        waitText("#run-log", "run succeeded");
        fullScreenshot("09-run-page");
    }

    @Test
    @Order(5)
    void compares_two_runs_in_one_sortable_table_with_reference_rows() throws Exception {
        visible("a[data-nav='builder']").click();
        typeInto("defenses[0].params.factor", "0.5");
        select("[data-path='defenses[0].params.failMode'] select", "none");
        typeInto("name", "browser second run");
        awaitValidation("ok");
        visible("#run-pipeline").click();
        secondRun = currentRunId();
        waitText("#run-status", "succeeded");

        visible("a[data-nav='runs']").click();
        visible("#runs-table tr[data-run-id='" + firstRun + "'] input[type='checkbox']").click();
        visible("#runs-table tr[data-run-id='" + secondRun + "'] input[type='checkbox']").click();
        visible("#compare-selected").click();
        WebElement table = visible("#compare-table");
        assertEquals(2, table.findElements(By.cssSelector("tbody tr[data-run-id='" + firstRun + "']")).size());
        assertEquals(2, table.findElements(By.cssSelector("tbody tr[data-run-id='" + secondRun + "']")).size());
        assertFalse(driver.findElements(By.cssSelector("#compare-chart rect.bar")).isEmpty());

        visible("button[data-sort='ASR']").click();
        wait.until(d -> "descending".equals(d.findElement(By.cssSelector("button[data-sort='ASR']")).findElement(By.xpath(".."))
                .getAttribute("aria-sort")));
        List<WebElement> rows = driver.findElements(By.cssSelector("#compare-table tbody tr"));
        assertTrue(rows.get(0).getText().contains("100.00%"), "highest ASR first: " + rows.get(0).getText());

        visible("#show-reference").click();
        wait.until(d -> !d.findElements(By.cssSelector("#compare-table tr.reference-row")).isEmpty());
        waitText("#compare-table", "BackdoorBench leaderboard");
        waitText("label[for='show-reference']", "CIFAR-10 / PreAct-ResNet-18, BackdoorBench leaderboard");
        fullScreenshot("10-compare");
    }

    @Test
    @Order(6)
    void deploys_and_removes_a_bundle_while_the_component_list_follows_live() throws Exception {
        // Tab 1 watches the components; tab 2 deploys and removes.
        visible("a[data-nav='components']").click();
        visible("[data-kind='defense']");
        assertTrue(driver.findElements(By.xpath("//*[contains(text(), '" + COPY_BSN + "')]")).isEmpty());
        ((JavascriptExecutor) driver).executeScript("window.__sameDocument = true;");
        String watcher = driver.getWindowHandle();

        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "#/bundles");
        signIn(adminToken);
        visible("#bundles-table");
        Path bad = Files.writeString(dir.resolve("not-a-bundle.jar"), "this is not a zip");
        visible("#bundle-file").sendKeys(bad.toAbsolutePath().toString());
        visible("#deploy-bundle").click();
        waitText("#deploy-error", "not-a-bundle.jar was not deployed");
        screenshot("11-bad-jar-refused");

        visible("#bundle-file").sendKeys(copyJar.toAbsolutePath().toString());
        visible("#deploy-bundle").click();
        waitText("#deploy-result", "Deployed " + COPY_BSN + " 9.9.9");
        visible("tr[data-bundle='" + COPY_BSN + "']");
        screenshot("12-bundle-deployed");
        String deployer = driver.getWindowHandle();

        driver.switchTo().window(watcher);
        wait.withMessage("the components page to show the deployed copy without reloading")
                .until(d -> anyContains(".component .bundle-tag", COPY_BSN));
        waitText("#registry-changes", "added");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true"));
        fullScreenshot("13-components-after-deploy");

        driver.switchTo().window(deployer);
        visible("button[data-remove='" + COPY_BSN + "']").click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-bundle='" + COPY_BSN + "']")));
        screenshot("14-bundle-removed");

        driver.switchTo().window(watcher);
        wait.withMessage("the components page to drop the removed copy without reloading")
                .until(d -> !anyContains(".component .bundle-tag", COPY_BSN) && anyContains(".component .bundle-tag", "io.purifier.sample-plugins"));
        waitText("#registry-changes", "removed");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true"));
        screenshot("15-components-after-remove");
    }

    @Test
    @Order(7)
    void a_researcher_sees_no_deploy_actions_and_a_revoked_token_returns_to_sign_in_with_a_message() throws Exception {
        ApiClient admin = new ApiClient(server.port(), adminToken);
        ApiClient.Response created = admin.postJson("/api/users", Map.of("name", "rita", "role", "researcher"));
        assertEquals(201, created.status(), created.raw());
        String token = created.body().get("token").asText();

        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "#/bundles");
        signIn(token);
        waitText("#who", "researcher");
        waitText("main", "Only admins can deploy or remove bundles.");
        assertFalse(visible("#deploy-bundle").isEnabled(), "deploy is disabled for researchers");
        assertTrue(driver.findElements(By.cssSelector("button[data-remove]")).isEmpty(), "no remove buttons");
        screenshot("16-researcher-bundles");

        assertEquals(204, admin.delete("/api/users/rita").status());
        visible("a[data-nav='runs']").click();
        waitText("#signin-message", "no longer accepts your token");
        assertTrue(driver.findElement(By.id("topbar")).getAttribute("hidden") != null, "the app is hidden after a 401");
        screenshot("17-revoked-token");
    }

    @Test
    @Order(8)
    void fits_a_1024_pixel_laptop_screen_and_logged_no_script_errors() throws Exception {
        driver.switchTo().window(mainWindow);
        driver.manage().window().setSize(new Dimension(1024, 800));
        driver.get(base + "#/builder");
        visible(".builder");
        long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow, "no horizontal scrolling at 1024 px");
        screenshot("18-builder-1024");

        List<String> problems = new ArrayList<>();
        for (String handle : driver.getWindowHandles()) {
            driver.switchTo().window(handle);
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                // Refused requests (400 from validation, the bad jar) are logged by the network layer; they are expected.
                boolean network = entry.getMessage().contains("Failed to load resource");
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !network) {
                    problems.add(entry.getMessage());
                }
            }
        }
        assertEquals(List.of(), problems, "console errors");
    }

}
