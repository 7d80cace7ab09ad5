package dev.pmm.crash;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a separate JVM, killed with SIGKILL at random moments while turns and ticks run:
 * every acknowledged turn survives, the chain verifies, and the state started from its checkpoint
 * equals a full replay.
 */
class CrashTest {

  @TempDir
  Path dataDir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  private final Random random = new Random(17);
  private Process server;

  @AfterEach
  void cleanUp() {
    if (server != null) {
      server.destroyForcibly();
    }
    await(vertx.close());
  }

  @Test
  void acknowledgedTurnsSurviveSigkill() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < 4; round++) {
      int port = freePort();
      server = start(port);
      awaitHealthy(port);
      long stopAt = System.currentTimeMillis() + 400 + random.nextInt(1200);
      List<Future<Void>> senders = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String prefix = "r" + round + "c" + c;
        senders.add(OnContext.start(vertx, () -> send(port, prefix, stopAt, acknowledged, 0)));
      }
      Thread.sleep(Math.max(0, stopAt - System.currentTimeMillis()));
      server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Future.join(senders).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    assertTrue(acknowledged.size() > 20, "turns were acknowledged before the kills: " + acknowledged.size());

    // In process now: the ledger after four kills.
    Vertx check = Vertx.vertx();
    try {
      JsonObject config = TestLedger.config(dataDir);
      await(PmmServer.deployCore(check, config));
      JsonObject report = TestLedger.request(check, Addresses.LEDGER_VERIFY, null);
      assertEquals(true, report.getBoolean("ok"), report.encode());
      Set<String> stored = new HashSet<>();
      long after = 0;
      while (true) {
        JsonArray page = TestLedger.request(check, Addresses.LEDGER_READ,
            new JsonObject().put("after", after).put("kind", "user_message").put("limit", 1000)).getJsonArray("events");
        if (page.isEmpty()) {
          break;
        }
        page.forEach(e -> stored.add(((JsonObject) e).getString("content")));
        after = page.getJsonObject(page.size() - 1).getLong("id");
      }
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertTrue(lost.isEmpty(), "acknowledged but lost: " + lost);
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
  }

  /** Turns one after another until the deadline; a turn counts once its reply arrived. */
  private Future<Void> send(int port, String prefix, long stopAt, Set<String> acknowledged, int n) {
    if (System.currentTimeMillis() > stopAt + 2000) {
      return Future.succeededFuture();
    }
    String text = "crash test " + prefix + " turn " + n;
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/api/chat")
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .send(Buffer.buffer(new JsonObject().put("text", text).encode())))
        .compose(res -> res.body().map(body -> {
          if (res.statusCode() == 200) {
            acknowledged.add(text);
          }
          return null;
        }))
        .transform(ar -> ar.succeeded() ? send(port, prefix, stopAt, acknowledged, n + 1) : Future.succeededFuture());
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
