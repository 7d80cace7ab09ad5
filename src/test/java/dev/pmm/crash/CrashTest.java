package dev.pmm.crash;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.PmmConfig;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a separate JVM, killed with SIGKILL at random moments while turns and ticks run:
 * every event of every acknowledged turn survives with the hash the server showed before the kill,
 * the chain verifies, the state started from its checkpoint equals a full replay, and the ledger
 * left behind has HSQLDB's write delay off.
 */
class CrashTest {

  /** Kills, and clients sending turns between two kills. */
  private static final int ROUNDS = 4;
  private static final int SENDERS = 4;

  @TempDir
  Path dataDir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  private final Random random = new Random(17);
  private Process server;

  /** A turn the server answered 200: what was sent, and what the reply named. */
  private record AcknowledgedTurn(String text, String turn, String reply, List<Long> eventIds) {}

  private final Queue<AcknowledgedTurn> acknowledged = new ConcurrentLinkedQueue<>();
  /** Hashes of acknowledged turns' events, as GET /api/events showed them right after each reply. */
  private final Map<Long, String> hashesShown = new ConcurrentHashMap<>();
  private final AtomicInteger turnsReadBack = new AtomicInteger();
  private final AtomicInteger turnsNotReadBack = new AtomicInteger();
  /** What the running server got wrong, seen while it ran. */
  private final Queue<String> problemsWhileRunning = new ConcurrentLinkedQueue<>();

  @AfterEach
  void cleanUp() {
    if (server != null) {
      server.destroyForcibly();
    }
    await(vertx.close());
  }

  @Test
  void acknowledgedTurnsSurviveSigkill() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      int port = freePort();
      server = start(port);
      awaitHealthy(port);
      // The kill comes after a random number of acknowledged turns, not after a random time: on a
      // loaded machine a server can acknowledge next to nothing in a second, and the other senders'
      // turns and the ticks are in flight at whichever turn it is.
      int turnsBeforeKill = 6 + random.nextInt(7);
      CountDownLatch enough = new CountDownLatch(turnsBeforeKill);
      List<Future<Void>> senders = new ArrayList<>();
      for (int c = 0; c < SENDERS; c++) {
        String prefix = "r" + round + "c" + c;
        senders.add(OnContext.start(vertx, () -> send(port, prefix, enough, 0)));
      }
      assertTrue(enough.await(120, TimeUnit.SECONDS), "round " + round + ": " + (turnsBeforeKill - enough.getCount())
          + " of " + turnsBeforeKill + " turns acknowledged within 120 s");
      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Future.join(senders).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    assertTrue(acknowledged.size() > 20, "turns were acknowledged before the kills: " + acknowledged.size());
    assertEquals(List.of(), List.copyOf(problemsWhileRunning), "what the running server showed");
    assertEquals(acknowledged.size(), turnsReadBack.get() + turnsNotReadBack.get());
    // A sender reads a turn's events back before it sends the next turn, so a kill can cut at most one such read per sender.
    assertTrue(turnsNotReadBack.get() <= ROUNDS * SENDERS, "acknowledged turns whose events were not read back before a kill: "
        + turnsNotReadBack.get() + " (at most one per sender and kill)");

    // In process now: the ledger after four kills.
    JsonObject config = TestLedger.config(dataDir);
    Vertx check = Vertx.vertx();
    try {
      deployAfterTheKill(check, config);
      JsonObject report = TestLedger.request(check, Addresses.LEDGER_VERIFY, null);
      assertEquals(true, report.getBoolean("ok"), report.encode());
      Map<Long, JsonObject> stored = allEvents(check);
      assertEquals(List.of(), lostOrChanged(stored), "acknowledged events after the kills");
      JsonObject fromCheckpoint = TestLedger.request(check, Addresses.SNAPSHOT_GET, null);
      await(check.close());
      check = null;
      TestLedger.sql(dataDir, "DELETE FROM checkpoints");
      check = Vertx.vertx();
      await(PmmServer.deployCore(check, config));
      assertEquals(fromCheckpoint, TestLedger.request(check, Addresses.SNAPSHOT_GET, null), "checkpoint + replay == full replay");
    } finally {
      if (check != null) {
        await(check.close());
      }
    }
    // HSQLDB's default is a 500 ms write delay, in which an acknowledged commit is not yet on disk.
    assertEquals(Map.of("hsqldb.write_delay", "false", "hsqldb.write_delay_millis", "0"), writeDelay(config),
        "HSQLDB's write delay, read back from the ledger the server left");
  }

  /** Every stored event by id, read in pages. */
  private static Map<Long, JsonObject> allEvents(Vertx vertx) {
    Map<Long, JsonObject> stored = new HashMap<>();
    long after = 0;
    while (true) {
      JsonArray page = TestLedger.request(vertx, Addresses.LEDGER_READ,
          new JsonObject().put("after", after).put("limit", 1000)).getJsonArray("events");
      if (page.isEmpty()) {
        return stored;
      }
      page.forEach(e -> stored.put(((JsonObject) e).getLong("id"), (JsonObject) e));
      after = page.getJsonObject(page.size() - 1).getLong("id");
    }
  }

  /**
   * What differs between the acknowledged turns, with the hashes the server showed for them, and
   * the ledger after the kills: each acknowledged id must be stored, belong to its turn (the user's
   * text first, then the reply, every later effect pointing back at that user message), and keep
   * the hash it was shown with.
   */
  private List<String> lostOrChanged(Map<Long, JsonObject> stored) {
    List<String> problems = new ArrayList<>();
    for (AcknowledgedTurn turn : acknowledged) {
      List<Long> ids = turn.eventIds();
      if (ids.size() < 2) {
        problems.add(turn.text() + ": acknowledged with event_ids " + ids + ", not a user message and a reply");
        continue;
      }
      for (int i = 0; i < ids.size(); i++) {
        JsonObject event = stored.get(ids.get(i));
        if (event == null) {
          problems.add(turn.text() + ": event " + ids.get(i) + " is lost");
          continue;
        }
        JsonObject meta = event.getJsonObject("meta");
        if (!turn.turn().equals(meta.getString("turn"))) {
          problems.add(turn.text() + ": event " + ids.get(i) + " belongs to turn " + meta.getString("turn") + ", not " + turn.turn());
        }
        if (i > 0 && !ids.get(0).equals(meta.getLong("user_event_id"))) {
          problems.add(turn.text() + ": event " + ids.get(i) + " points at user message " + meta.getValue("user_event_id"));
        }
      }
      expect(problems, stored.get(ids.get(0)), "user_message", turn.text());
      expect(problems, stored.get(ids.get(1)), "assistant_message", turn.reply());
    }
    hashesShown.forEach((id, shown) -> {
      JsonObject event = stored.get(id);
      if (event != null && !shown.equals(event.getString("hash"))) {
        problems.add("event " + id + " was shown with hash " + shown + ", stored with " + event.getString("hash"));
      }
    });
    return problems;
  }

  private static void expect(List<String> problems, JsonObject event, String kind, String content) {
    if (event != null && (!kind.equals(event.getString("kind")) || !content.equals(event.getString("content")))) {
      problems.add("expected " + kind + " \"" + content + "\", stored " + event.encode());
    }
  }

  /** HSQLDB's write-delay properties, read with plain JDBC from the file (the server must be stopped). */
  private static Map<String, String> writeDelay(JsonObject config) throws SQLException {
    Map<String, String> properties = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(PmmConfig.jdbcUrl(config), "SA", "");
         ResultSet rows = connection.createStatement().executeQuery("SELECT property_name, property_value "
             + "FROM information_schema.system_properties WHERE property_name IN ('hsqldb.write_delay', 'hsqldb.write_delay_millis')")) {
      while (rows.next()) {
        properties.put(rows.getString(1), rows.getString(2));
      }
      connection.createStatement().execute("SHUTDOWN");
    }
    return properties;
  }

  /** Turns one after another until the server is gone; a turn counts once its reply arrived. */
  private Future<Void> send(int port, String prefix, CountDownLatch enough, int n) {
    String text = "crash test " + prefix + " turn " + n;
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/api/chat")
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .send(Buffer.buffer(new JsonObject().put("text", text).encode())))
        .compose(res -> res.body().compose(body -> res.statusCode() == 200
            ? acknowledged(port, text, body.toJsonObject(), enough) : Future.succeededFuture()))
        .transform(ar -> ar.succeeded() ? send(port, prefix, enough, n + 1) : Future.succeededFuture());
  }

  /**
   * Records an acknowledged turn and reads its events from the server at once, so that the hashes
   * kept are those the server showed before any kill; when the kill comes first, the turn's ids
   * are still checked, its hashes are not.
   */
  private Future<Void> acknowledged(int port, String text, JsonObject reply, CountDownLatch enough) {
    enough.countDown();
    JsonArray named = reply.getJsonArray("event_ids");
    if (named == null || named.isEmpty()) {
      problemsWhileRunning.add(text + ": acknowledged without event_ids: " + reply.encode());
      return Future.succeededFuture();
    }
    List<Long> ids = named.stream().map(id -> ((Number) id).longValue()).toList();
    acknowledged.add(new AcknowledgedTurn(text, reply.getString("turn"), reply.getString("reply"), ids));
    long first = ids.stream().min(Long::compare).orElseThrow();
    long last = ids.stream().max(Long::compare).orElseThrow();
    String uri = "/api/events?after=" + (first - 1) + "&limit=" + Math.min(1000, last - first + 1);
    return client.request(HttpMethod.GET, port, "127.0.0.1", uri).compose(req -> req.send())
        .compose(res -> res.body().map(body -> {
          if (res.statusCode() != 200) {
            problemsWhileRunning.add(text + ": GET " + uri + " answered " + res.statusCode() + " " + body);
            return null;
          }
          Map<Long, String> shown = new HashMap<>();
          body.toJsonObject().getJsonArray("events").forEach(e -> shown.put(((JsonObject) e).getLong("id"), ((JsonObject) e).getString("hash")));
          for (long id : ids) {
            if (shown.containsKey(id)) {
              hashesShown.put(id, shown.get(id));
            } else {
              problemsWhileRunning.add(text + ": event " + id + " was acknowledged but not shown by GET " + uri);
            }
          }
          turnsReadBack.incrementAndGet();
          return (Void) null;
        }))
        .onFailure(e -> turnsNotReadBack.incrementAndGet());
  }

  private Process start(int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.pmm.cli.Pmm", "serve", "--port", String.valueOf(port), "--data", dataDir.toString())
        .redirectErrorStream(true).redirectOutput(new File(dataDir.toFile(), "server-" + port + ".log"));
    builder.environment().put("PMM_MEMORY_EMBEDDER", "hash");
    builder.environment().put("PMM_TICK_INTERVAL_MS", "150");
    // Turns as fast as the server answers them, from one address.
    builder.environment().put("PMM_WEB_TURNS_PER_MINUTE", "0");
    builder.environment().put("PMM_MODEL_OFFLINE_TOKEN_DELAY_MS", "0");
    builder.environment().put("PMM_CHECKPOINT_EVERY", "50");
    return builder.start();
  }

  /**
   * HSQLDB's lock file outlives a killed server until its heartbeat goes stale (seconds), and the
   * killed JVM's lock is then taken over: until that moment the ledger says it is in use.
   */
  private static void deployAfterTheKill(Vertx check, JsonObject config) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      Throwable failure = await(PmmServer.deployCore(check, config).transform(ar -> Future.succeededFuture(ar.cause())));
      if (failure == null) {
        return;
      }
      if (!String.valueOf(failure.getMessage()).contains("in use by another PMM process") || System.currentTimeMillis() > deadline) {
        throw new AssertionError("the ledger after the kills did not open: " + failure.getMessage(), failure);
      }
      Thread.sleep(500);
    }
  }

  private void awaitHealthy(int port) {
    TestLedger.eventually(() -> {
      try {
        // With a timeout, so that polling goes on rather than waits on one request to a server still starting.
        RequestOptions health = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/health").setIdleTimeout(5_000);
        return OnContext.await(vertx, () -> client.request(health).compose(req -> req.send())
            .map(res -> res.statusCode() == 200).otherwise(false));
      } catch (AssertionError e) {
        return false;
      }
    });
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
