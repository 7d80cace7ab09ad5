package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end in headless Chromium: the page of webroot/ served by a real server in this JVM, driven
 * as a person would. Debian's chromium and chromedriver are named explicitly so Selenium never
 * downloads anything. Screenshots at 1280×800 and 390 px wide go to target/screenshots/.
 */
class BrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Selenium warns that it ships no CDP bindings for this Chromium; the test needs none (it uses chromedriver's own CDP command). */
  private static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  /** Records the newest assistant bubble after every change, to see thinking → partial → complete. */
  private static final String TRACE = """
      window.__trace = [];
      const list = document.getElementById('message-list');
      new MutationObserver(() => {
        const li = [...list.querySelectorAll('li.msg.assistant')].pop();
        if (!li) return;
        const thinking = !!li.querySelector('.thinking');
        window.__trace.push({ state: li.dataset.state, thinking,
          text: thinking ? '' : li.querySelector('.body').textContent });
      }).observe(list, { subtree: true, childList: true, characterData: true, attributes: true,
        attributeFilter: ['data-state'] });
      """;

  /** Records the states of the assistant bubbles after every change. */
  private static final String STATES_TRACE = """
      window.__states = [];
      const list = document.getElementById('message-list');
      new MutationObserver(() => {
        const states = [...list.querySelectorAll('li.msg.assistant')].map(li => li.dataset.state);
        const last = window.__states[window.__states.length - 1];
        if (JSON.stringify(states) !== JSON.stringify(last)) window.__states.push(states);
      }).observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      """;

  @TempDir
  Path dataDir;

  @TempDir
  Path profile;

  private JsonObject config;
  private Vertx vertx;
  private int port;
  private ChromeDriver driver;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void needsChromium() {
    CDP_VERSION_LOG.setLevel(Level.SEVERE);
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser test skipped: it needs Debian's chromium and chromium-driver at /usr/bin/chromium and "
            + "/usr/bin/chromedriver (apt-get install chromium chromium-driver; .ci/run installs them)");
  }

  @AfterEach
  void stop() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (vertx != null) {
        await(vertx.close());
      }
    }
  }

  // ---- the tests ----

  @Test
  void chatStreamsNamesTheMindSurvivesARestartAndReloads() throws Exception {
    startServer(new JsonObject());
    open("/");
    waitConnected();
    assertTrue(driver.findElement(By.id("chat-empty")).isDisplayed(), "a new mind greets with an empty chat and suggestions");
    screenshot("01-first-visit-1280");

    // A message; the reply streams: the thinking indicator, then partial text, then all of it.
    driver.executeScript(TRACE);
    send("Hello! Who are you?");
    waitFor("the first reply to complete", () -> assistantStates().equals(List.of("done")));
    assertStreamed();
    List<String> ids = messageIds();
    assertEquals(2, ids.size());
    assertTrue(ids.stream().allMatch(Objects::nonNull), "both messages carry their ledger event id: " + ids);
    JsonArray replies = api("/api/events?kind=assistant_message&after=0").getJsonArray("events");
    assertEquals(ids.get(1), String.valueOf(replies.getJsonObject(0).getLong("id")));

    // Naming: the mind panel follows.
    send("your name is Echo");
    waitFor("the name Echo in the mind panel", () -> "Echo".equals(driver.findElement(By.id("mind-name")).getText()));
    assertEquals("E", driver.findElement(By.id("avatar")).getText());
    assertEquals("Echo · PMM Server", driver.getTitle());
    waitFor("the second reply", () -> assistantStates().equals(List.of("done", "done")));

    // Markdown is rendered, code blocks kept, and no HTML or script from a message ever runs.
    driver.executeScript("document.getElementById('input').value = arguments[0];"
        + "document.getElementById('composer').requestSubmit();",
        "Look: <img src=x onerror=\"window.__pwned=1\"> <script>window.__pwned=2</script> **bold** "
            + "[a link](javascript:window.__pwned=3)\n\n```html\n<b>kept as code</b>\n```");
    waitFor("the third reply", () -> assistantStates().equals(List.of("done", "done", "done")));
    assertNull(driver.executeScript("return window.__pwned"), "nothing from a message ran");
    assertEquals(0L, driver.executeScript("return document.querySelectorAll('#messages img, #messages script').length"));
    assertEquals("<b>kept as code</b>", driver.executeScript(
        "return [...document.querySelectorAll('#messages pre code')].pop().textContent"));
    assertEquals("bold", driver.executeScript("return [...document.querySelectorAll('#messages li.user strong')].pop().textContent"));
    assertEquals(0L, driver.executeScript("return document.querySelectorAll('#messages a[href^=javascript]').length"));

    // A few autonomy ticks: the chart, the tick counter and the stage history follow.
    for (int i = 0; i < 12; i++) {
      TestLedger.request(vertx, Addresses.TICK_NOW, null);
    }
    waitFor("tick 12 in the header", () -> driver.findElement(By.id("top-ticks")).getText().equals("tick 12"));
    waitFor("the IAS/GAS chart", () -> !driver.findElements(By.cssSelector("#chart path.line.ias")).isEmpty());
    waitFor("the first stage in the stage history", () -> driver.findElement(By.id("stage-history")).getText().contains("Started at S0"));
    screenshot("02-chat-1280");

    // The ledger explorer: newest first, an event opens to its JSON and hashes, filter, verify.
    driver.findElement(By.cssSelector(".tab[data-tab=ledger]")).click();
    waitFor("ledger rows", () -> !driver.findElements(By.cssSelector("#events li.event")).isEmpty());
    long newest = api("/api/snapshot").getLong("last_event_id");
    assertEquals(String.valueOf(newest), driver.findElement(By.cssSelector("#events li.event")).getAttribute("data-id"));
    driver.findElement(By.cssSelector("#events li.event summary")).click();
    waitFor("the event's hashes", () -> driver.findElements(By.cssSelector("#events .hashes dd")).size() >= 2);
    String hash = driver.findElement(By.cssSelector("#events .hashes dd")).getText();
    assertTrue(hash.matches("[0-9a-f]{64}"), hash);
    assertTrue(driver.findElement(By.cssSelector("#events pre.json")).getText().contains("\"prev_hash\""));
    new Select(driver.findElement(By.id("kind"))).selectByValue("user_message");
    waitFor("only user messages", () -> {
      List<WebElement> rows = driver.findElements(By.cssSelector("#events li.event"));
      return rows.size() == 3 && rows.stream().allMatch(r -> "user_message".equals(r.getAttribute("data-kind")));
    });
    new Select(driver.findElement(By.id("kind"))).selectByValue("");
    waitFor("all kinds again", () -> driver.findElements(By.cssSelector("#events li.event")).size() > 3);
    driver.findElement(By.id("verify")).click();
    waitFor("the verify report", () -> driver.findElement(By.id("verify-report")).getText().contains("Intact"));
    waitFor("when and how far the chain was last verified", () -> driver.findElement(By.id("verify-last")).getText()
        .matches("Last verified .*: intact up to event #\\d+"));
    screenshot("03-ledger-1280");
    driver.findElement(By.cssSelector(".tab[data-tab=mind]")).click();

    // Dark, following the system setting.
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    screenshot("04-chat-dark-1280");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));

    // 390 px wide: one view at a time, switched by tabs.
    viewport(390, 844);
    driver.findElement(By.cssSelector(".tab[data-tab=chat]")).click();
    screenshot("05-chat-390");
    driver.findElement(By.cssSelector(".tab[data-tab=mind]")).click();
    assertTrue(driver.findElement(By.id("traits")).isDisplayed());
    assertFalse(driver.findElement(By.id("input")).isDisplayed(), "narrow: the chat hides behind its tab");
    screenshot("06-mind-390");
    driver.findElement(By.cssSelector(".tab[data-tab=ledger]")).click();
    screenshot("07-ledger-390");
    driver.findElement(By.cssSelector(".tab[data-tab=chat]")).click();
    viewport(1280, 800);

    // The server restarts under the open page: a message typed meanwhile waits, then everything resyncs.
    List<String> before = messageIds();
    assertEquals(6, before.size());
    await(vertx.close());
    vertx = null;
    waitFor("the page to notice the server is gone", () -> !"open".equals(connState()));
    send("Sent while the server was down");
    WebElement waiting = driver.findElement(By.cssSelector("#message-list > li:last-child"));
    assertEquals("waiting", waiting.getAttribute("data-state"));
    screenshot("08-disconnected-1280");
    startServer(null);
    waitConnected();
    waitFor("the waiting message sent and answered", () -> assistantStates().size() == 4
        && assistantStates().stream().allMatch("done"::equals));
    List<String> after = messageIds();
    assertEquals(8, after.size(), "nothing duplicated or lost: " + after);
    assertEquals(before, after.subList(0, 6));
    assertTrue(after.stream().allMatch(Objects::nonNull), "every message is in the ledger: " + after);
    assertEquals(8, new HashSet<>(after).size());
    assertEquals(8L, (long) api("/api/events?kind=user_message&after=0").getJsonArray("events").size()
        + api("/api/events?kind=assistant_message&after=0").getJsonArray("events").size());

    // A reload shows the whole history, in order.
    driver.navigate().refresh();
    waitConnected();
    waitFor("the history after a reload", () -> messageIds().equals(after));
    assertEquals("This is the beginning of the conversation.", driver.findElement(By.id("history-edge")).getText());
    assertEquals("Echo", driver.findElement(By.id("mind-name")).getText());
    List<String> userTexts = texts("#message-list li.user .body");
    assertEquals(List.of("Hello! Who are you?", "your name is Echo"), userTexts.subList(0, 2));
    assertEquals("Sent while the server was down", userTexts.get(3));
    screenshot("09-after-reload-1280");
  }

  @Test
  void messagesFromElsewhereAppearLiveAndStoppedTurnsStayStoppedAfterAReload() {
    startServer(new JsonObject().put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 80));
    open("/");
    waitConnected();

    // The page's own turn: its messages also come back as `message` frames, and nothing doubles.
    send("Please write a short summary of our talk later.");
    waitFor("the reply", () -> assistantStates().equals(List.of("done")));
    List<String> own = messageIds();
    assertEquals(2, own.size(), "each message once: " + own);
    assertTrue(own.stream().allMatch(Objects::nonNull), own.toString());

    // The reply committed the mind to something: the panel says when it expires.
    waitFor("an open commitment that expires in 11 ticks", () -> commitmentsText().contains("expires in 11 ticks"));
    TestLedger.request(vertx, Addresses.TICK_NOW, null);
    waitFor("one tick nearer its expiry", () -> commitmentsText().contains("expires in 10 ticks"));
    assertTrue(commitmentsText().contains("1 tick old"), commitmentsText());

    // Another client (here POST /api/chat) talks to the mind: the open page shows it live.
    driver.executeScript(STATES_TRACE);
    Future<JsonObject> posted = postChat("Hello from another client");
    waitFor("the other client's message, live", () -> texts("#message-list li.user .body").contains("Hello from another client"));
    JsonObject answer = await(posted);
    waitFor("its reply, live", () -> assistantStates().equals(List.of("done", "done")));
    assertTrue(statesSeen().contains(List.of("done", "thinking")), "its reply showed as being thought about: " + statesSeen());
    JsonArray eventIds = answer.getJsonArray("event_ids");
    assertEquals(List.of(own.get(0), own.get(1), String.valueOf(eventIds.getLong(0)), String.valueOf(eventIds.getLong(1))),
        messageIds());
    assertEquals(answer.getString("reply"), texts("#message-list li.assistant .body").get(1));

    // The page stops its own reply mid-way: the partial reply stays on screen, marked.
    send("Tell me about your commitments, your name, and how you are growing.");
    waitFor("the reply to start streaming", () -> assistantStates().equals(List.of("done", "done", "streaming")));
    driver.findElement(By.id("stop")).click();
    waitFor("the reply stopped", () -> assistantStates().equals(List.of("done", "done", "stopped")));

    // A turn submitted on the event bus and stopped there: its "thinking" bubble gives way to "(stopped)".
    Future<Object> submitted = vertx.eventBus().request(Addresses.TURN_SUBMIT,
        new JsonObject().put("text", "A turn from the event bus").put("id", "bus-1"), new DeliveryOptions().setSendTimeout(60_000))
        .map(m -> m.body());
    waitFor("the event bus's message with a thinking reply", () -> assistantStates().equals(List.of("done", "done", "stopped", "thinking")));
    String busTurn = lastUser().getAttribute("data-turn");
    assertNotNull(busTurn);
    TestLedger.request(vertx, Addresses.TURN_CANCEL, new JsonObject().put("turn", busTurn));
    waitFor("the stopped turn noted under its message", () -> "(stopped)".equals(outcome(lastUser())));
    assertTrue(submitted.toCompletionStage().toCompletableFuture().handle((v, e) -> e != null).join(), "the bus turn was stopped");
    assertEquals(List.of("done", "done", "stopped"), assistantStates(), "the thinking bubble is gone");

    // A turn that failed (as a model that times out would record it).
    long userId = TestLedger.append(vertx, "user_message", "Are you still there?", new JsonObject().put("turn", "t-failed")).getLong("id");
    waitFor("its thinking reply", () -> assistantStates().size() == 4);
    TestLedger.append(vertx, "turn_failed", "no token for 30000 ms", new JsonObject().put("turn", "t-failed")
        .put("user_event_id", userId).put("reason", "timeout").put("partial_chars", 0));
    waitFor("the failure noted under its message", () -> "(failed: timeout)".equals(outcome(lastUser())));
    assertEquals(3, assistantStates().size());
    screenshot("10-live-stopped-failed-1280");
    viewport(390, 844);
    screenshot("11-live-stopped-failed-390");
    driver.findElement(By.cssSelector(".tab[data-tab=mind]")).click();
    waitFor("the commitments card", () -> driver.findElement(By.id("commitments")).isDisplayed());
    driver.executeScript("document.getElementById('commitments').scrollIntoView({block: 'center'})");
    screenshot("12-commitments-390");
    driver.findElement(By.cssSelector(".tab[data-tab=chat]")).click();
    viewport(1280, 800);

    // After a reload the stopped and failed turns still say so; the stopped partial reply was never kept.
    List<String> stored = messageIds().stream().filter(Objects::nonNull).toList();
    driver.navigate().refresh();
    waitConnected();
    waitFor("the conversation after the reload", () -> messageIds().equals(stored));
    assertEquals(List.of("", "", "(stopped)", "(stopped)", "(failed: timeout)"), outcomes());
    assertTrue(driver.findElement(By.cssSelector("#message-list li.user .outcome")).getAttribute("title").contains("ledger event #"));
    waitFor("the expiry after the reload", () -> commitmentsText().contains("expires in 10 ticks"));
    screenshot("13-stopped-after-reload-1280");
    driver.executeScript("document.getElementById('commitments').scrollIntoView({block: 'center'})");
    screenshot("14-commitments-1280");
  }

  @Test
  void olderMessagesLoadWhenScrollingUp() {
    startServer(new JsonObject());
    for (int i = 1; i <= 130; i++) {
      TestLedger.append(vertx, i % 2 == 1 ? "user_message" : "assistant_message", "message " + i, new JsonObject());
    }
    open("/");
    waitConnected();
    waitFor("the newest 50 messages", () -> messageIds().size() == 50);
    for (int page = 0; page < 10 && messageIds().size() < 130; page++) {
      int shown = messageIds().size();
      driver.executeScript("document.getElementById('messages').scrollTop = 0;"
          + "document.getElementById('messages').dispatchEvent(new Event('scroll'));");
      waitFor("an older page", () -> messageIds().size() > shown);
    }
    List<String> ids = messageIds();
    assertEquals(130, ids.size());
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(String.valueOf(i + 1), ids.get(i), "in ledger order, each once");
    }
    driver.executeScript("document.getElementById('messages').scrollTop = 0;"
        + "document.getElementById('messages').dispatchEvent(new Event('scroll'));");
    waitFor("the beginning", () -> driver.findElement(By.id("history-edge")).getText().contains("beginning"));
    assertEquals("message 1", texts("#message-list li .body").get(0));
  }

  @Test
  void aQueuedMessageWaitsAndStopCancelsTheReplyBeingWritten() {
    startServer(new JsonObject().put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 200));
    open("/");
    waitConnected();
    send("Tell me about your commitments, your name, and how you are growing.");
    waitFor("the reply to start streaming", () -> assistantStates().equals(List.of("streaming")));
    send("Hello again");
    WebElement queued = driver.findElement(By.cssSelector("#message-list > li.user:last-child"));
    waitFor("the second message shown as queued", () -> "queued".equals(queued.getAttribute("data-state")));
    assertTrue(queued.findElement(By.cssSelector(".meta")).getText().startsWith("Queued"));
    WebElement stop = driver.findElement(By.id("stop"));
    assertTrue(stop.isDisplayed());
    stop.click();
    waitFor("the first reply stopped, the queued one answered", () -> assistantStates().equals(List.of("stopped", "done")));
    assertFalse(driver.findElement(By.id("stop")).isDisplayed());
    waitFor("turn_aborted in the ledger",
        () -> !api("/api/events?kind=turn_aborted&after=0").getJsonArray("events").isEmpty());
  }

  @Test
  void aReplyCutOffByANetworkDropAppearsAfterTheReconnect() {
    startServer(new JsonObject().put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 60));
    open("/");
    waitConnected();
    send("Tell me about your commitments, your name, and how you are growing.");
    waitFor("the reply to start streaming", () -> assistantStates().equals(List.of("streaming")));
    // The page loses its connection mid-reply (as when the network drops); the server finishes the turn.
    driver.executeScript("window.pmm.conn.drop()");
    waitFor("the reply marked as cut off", () -> assistantStates().equals(List.of("interrupted")));
    waitConnected();
    waitFor("the whole reply, from the ledger", () -> assistantStates().equals(List.of("done")));
    List<String> ids = messageIds();
    assertEquals(2, ids.size(), "nothing duplicated: " + ids);
    assertTrue(ids.stream().allMatch(Objects::nonNull), ids.toString());
    JsonObject reply = api("/api/events?kind=assistant_message&after=0").getJsonArray("events").getJsonObject(0);
    assertEquals(String.valueOf(reply.getLong("id")), ids.get(1));
    assertEquals(reply.getString("content"), texts("#message-list li.assistant .body").get(0));
  }

  @Test
  void theTokenInThePageAddressReachesTheSocketAndTheApi() {
    startServer(new JsonObject().put(ConfigKeys.AUTH_TOKEN, "s3cret-token"));
    open("/");
    waitFor("the page to say it needs a token", () -> "unauthorized".equals(connState()));
    assertTrue(driver.findElement(By.id("auth-notice")).isDisplayed());
    driver.findElement(By.id("token-input")).sendKeys("s3cret-token", Keys.ENTER);
    waitFor("the token in the page's address", () -> driver.getCurrentUrl().endsWith("/?token=s3cret-token"));
    waitConnected();
    assertFalse(driver.findElement(By.id("auth-notice")).isDisplayed());
    send("Hello there");
    waitFor("a reply", () -> assistantStates().equals(List.of("done")));
    for (int i = 0; i < 3; i++) {
      TestLedger.request(vertx, Addresses.TICK_NOW, null);
    }
    driver.navigate().refresh();
    waitConnected();
    waitFor("the chart seeded over /api with the token", () -> driver.findElement(By.id("chart-caption")).getText().startsWith("Last 3 ticks"));
  }

  // ---- the server ----

  /** Starts the server; {@code null} restarts it with the same data directory and port. */
  private void startServer(JsonObject overrides) {
    if (overrides != null) {
      config = TestLedger.config(dataDir)
          .put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 15)
          .put(ConfigKeys.TICK_INTERVAL_MS, 0)
          .mergeIn(overrides);
    }
    vertx = Vertx.vertx();
    WebVerticle web = await(PmmServer.deploy(vertx, config));
    port = web.port();
    config.put(ConfigKeys.HTTP_PORT, port);
  }

  private JsonObject api(String path) {
    String token = config.getString(ConfigKeys.AUTH_TOKEN);
    String uri = "http://127.0.0.1:" + port + path + (token == null ? "" : (path.contains("?") ? "&" : "?") + "token=" + token);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** POST /api/chat with the Vert.x HTTP client, as another client would. */
  private Future<JsonObject> postChat(String text) {
    HttpClientAgent client = vertx.createHttpClient();
    return OnContext.start(vertx, () -> client.request(HttpMethod.POST, port, "127.0.0.1", "/api/chat")
        .compose(request -> request.putHeader("Content-Type", "application/json")
            .send(new JsonObject().put("text", text).encode()))
        .compose(response -> response.body().map(body -> {
          assertEquals(200, response.statusCode(), body.toString());
          return body.toJsonObject();
        }))
        .andThen(done -> client.close()));
  }

  // ---- the browser ----

  private void open(String path) {
    if (driver == null) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,800");
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort()
          .build();
      driver = new ChromeDriver(service, options);
      viewport(1280, 800);
    }
    driver.get("http://127.0.0.1:" + port + path);
  }

  private void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
  }

  private void waitFor(String what, Supplier<Boolean> condition) {
    new WebDriverWait(driver, WAIT).withMessage(what).until(d -> condition.get());
  }

  private void waitConnected() {
    waitFor("the page to connect", () -> "open".equals(connState()));
  }

  private String connState() {
    return driver.findElement(By.id("conn")).getAttribute("data-state");
  }

  private void send(String text) {
    WebElement input = driver.findElement(By.id("input"));
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  @SuppressWarnings("unchecked")
  private List<String> messageIds() {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll('#message-list > li')].map(li => li.dataset.eventId ?? null)");
  }

  @SuppressWarnings("unchecked")
  private List<String> assistantStates() {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll('#message-list > li.assistant')].map(li => li.dataset.state)");
  }

  private WebElement lastUser() {
    List<WebElement> users = driver.findElements(By.cssSelector("#message-list > li.user"));
    return users.get(users.size() - 1);
  }

  /** The "(stopped)" or "(failed: …)" note under a user message, or "". */
  private String outcome(WebElement user) {
    List<WebElement> notes = user.findElements(By.cssSelector(".meta .outcome"));
    return notes.isEmpty() ? "" : notes.get(0).getText();
  }

  @SuppressWarnings("unchecked")
  private List<String> outcomes() {
    return (List<String>) driver.executeScript("return [...document.querySelectorAll('#message-list > li.user')]"
        + ".map(li => li.querySelector('.meta .outcome')?.textContent ?? '')");
  }

  @SuppressWarnings("unchecked")
  private List<List<String>> statesSeen() {
    return (List<List<String>>) driver.executeScript("return window.__states");
  }

  private String commitmentsText() {
    return (String) driver.executeScript("return document.getElementById('commitments').textContent");
  }

  @SuppressWarnings("unchecked")
  private List<String> texts(String selector) {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())", selector);
  }

  /** The trace of the newest reply: thinking first, then a proper prefix of the reply, then all of it. */
  @SuppressWarnings("unchecked")
  private void assertStreamed() {
    List<Map<String, Object>> trace = (List<Map<String, Object>>) driver.executeScript("return window.__trace");
    assertNotNull(trace);
    Map<String, Object> last = trace.get(trace.size() - 1);
    assertEquals("done", last.get("state"));
    String reply = (String) last.get("text");
    assertFalse(reply.isBlank(), "a reply");
    int thinking = -1;
    int partial = -1;
    for (int i = 0; i < trace.size(); i++) {
      Map<String, Object> t = trace.get(i);
      if (thinking < 0 && Boolean.TRUE.equals(t.get("thinking"))) {
        thinking = i;
      }
      String text = (String) t.get("text");
      if (partial < 0 && "streaming".equals(t.get("state")) && !text.isEmpty() && text.length() < reply.length()
          && reply.startsWith(text)) {
        partial = i;
      }
    }
    assertTrue(thinking >= 0, "the thinking indicator showed: " + trace);
    assertTrue(partial > thinking, "part of the reply showed before the whole of it: " + trace);
  }

  private void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new AssertionError("cannot save the screenshot " + name, e);
    }
  }
}
