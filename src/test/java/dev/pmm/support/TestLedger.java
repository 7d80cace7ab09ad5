package dev.pmm.support;

import dev.pmm.Addresses;
import dev.pmm.config.ConfigKeys;
import dev.pmm.config.PmmConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real ledger in a temporary HSQLDB file, and the small things tests do to it. */
public final class TestLedger {
  private TestLedger() {}

  public static JsonObject config(Path dataDir) {
    return new JsonObject()
        .put(ConfigKeys.DATA_DIR, dataDir.toString())
        .put(ConfigKeys.HTTP_HOST, "127.0.0.1")
        .put(ConfigKeys.HTTP_PORT, 0)
        .put(ConfigKeys.CHECKPOINT_EVERY, 1000)
        .put(ConfigKeys.CONSISTENCY_CHECK_EVERY, 0)
        // Read counts stay exact; IntegrityHealthTest turns it on.
        .put(ConfigKeys.LEDGER_VERIFY_ON_START, false)
        .put(ConfigKeys.SNAPSHOT_COALESCE_MS, 20)
        // Ticks only where a test asks for them, so event counts stay exact.
        .put(ConfigKeys.TICK_INTERVAL_MS, 0)
        .put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 0)
        // Tests send turns from one address as fast as they are answered; the limit's own tests set it.
        .put(ConfigKeys.WEB_TURNS_PER_MINUTE, 0)
        // Word hashing: tests that do not test recall need not load MiniLM (MiniLmRecallTest does).
        .put(ConfigKeys.MEMORY_EMBEDDER, "hash");
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e.getMessage(), e);
    }
  }

  public static JsonObject append(Vertx vertx, String kind, String content, JsonObject meta) {
    return await(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_APPEND,
        new JsonObject().put("kind", kind).put("content", content).put("meta", meta)).map(m -> m.body()));
  }

  /** Appends {@code count} events from {@code senders} concurrent senders; completes when all are committed. */
  public static Future<List<JsonObject>> appendMany(Vertx vertx, int count, java.util.function.IntFunction<JsonObject> event) {
    List<Future<JsonObject>> replies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      replies.add(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_APPEND, event.apply(i)).map(m -> m.body()));
    }
    return Future.all(replies).map(all -> {
      List<JsonObject> out = new ArrayList<>(count);
      replies.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  public static JsonObject request(Vertx vertx, String address, Object body) {
    return await(vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()));
  }

  public static JsonObject reads(Vertx vertx) {
    return request(vertx, Addresses.LEDGER_STATUS, null).getJsonObject("reads");
  }

  /** Runs SQL against the ledger a running server in this JVM has open (in-process HSQLDB shares it). */
  public static void sqlLive(Path dataDir, String... statements) {
    try (Connection c = DriverManager.getConnection(PmmConfig.jdbcUrl(config(dataDir)), "SA", "")) {
      for (String s : statements) {
        c.createStatement().execute(s);
      }
    } catch (SQLException e) {
      throw new AssertionError("sql failed: " + e.getMessage(), e);
    }
  }

  /** Runs SQL straight against the file (the server must be stopped: HSQLDB locks it). */
  public static void sql(Path dataDir, String... statements) {
    String url = PmmConfig.jdbcUrl(config(dataDir));
    try (Connection c = DriverManager.getConnection(url, "SA", "")) {
      for (String s : statements) {
        c.createStatement().execute(s);
      }
      c.createStatement().execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new AssertionError("sql failed: " + e.getMessage(), e);
    }
  }

  /** Waits up to 60 s for a condition that becomes true asynchronously. */
  public static void eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
