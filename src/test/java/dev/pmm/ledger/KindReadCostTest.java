package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.config.PmmConfig;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The newest events of one kind cost what the limit asks for, not the number of events of that kind
 * (the WebSocket's hello, history, /api/events?before=&kind=, memory's start-up). Counted as the
 * rows HSQLDB has brought into its cache, starting from a freshly opened file.
 */
class KindReadCostTest {

  private static final int MESSAGES = 4_000;
  private static final long FEW_ROWS = 500;

  @TempDir
  Path dataDir;

  @BeforeEach
  void ledgerOfMessages() {
    withFreshlyOpenedLedger(vertx -> {
      List<JsonObject> appended = await(TestLedger.appendMany(vertx, MESSAGES, i -> new JsonObject()
          .put("kind", i % 2 == 0 ? "user_message" : "assistant_message").put("content", "message " + i).put("meta", new JsonObject())));
      // A checkpoint at the last event, so that the start-up verification has no tail to read.
      JsonObject last = appended.get(appended.size() - 1);
      TestLedger.request(vertx, Addresses.CHECKPOINT_SAVE, new JsonObject().put("cache", "test")
          .put("last_event_id", last.getLong("id")).put("event_hash", last.getString("hash")).put("state", "{}"));
    });
  }

  @Test
  void theNewestOfAKindReadsAboutTheLimit() {
    withFreshlyOpenedLedger(vertx -> {
      JsonObject page = TestLedger.request(vertx, Addresses.LEDGER_READ,
          new JsonObject().put("before", Long.MAX_VALUE).put("limit", 20).put("kind", "user_message"));
      JsonArray events = page.getJsonArray("events");
      assertEquals(20, events.size());
      assertEquals("message " + (MESSAGES - 2), events.getJsonObject(0).getString("content"), "newest first");
      assertTrue(cachedRows() < FEW_ROWS, "rows read for 20 of " + MESSAGES / 2 + ": " + cachedRows());
    });
  }

  @Test
  void memorysStartUpReadsAboutTheLimit() {
    withFreshlyOpenedLedger(vertx -> {
      JsonObject loaded = TestLedger.request(vertx, Addresses.EMBEDDINGS_LOAD, new JsonObject().put("model", "hash").put("limit", 50));
      assertEquals(50, loaded.getJsonArray("events").size());
      assertTrue(cachedRows() < FEW_ROWS, "rows read for 50 of " + MESSAGES + ": " + cachedRows());
    });
  }

  private long cachedRows() {
    try (Connection c = DriverManager.getConnection(PmmConfig.jdbcUrl(TestLedger.config(dataDir)), "SA", "");
         ResultSet rs = c.createStatement().executeQuery("SELECT SUM(CACHE_SIZE) FROM INFORMATION_SCHEMA.SYSTEM_CACHEINFO")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The ledger verticle stopping shuts HSQLDB down, so each run starts with an empty row cache. */
  private void withFreshlyOpenedLedger(Consumer<Vertx> body) {
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(TestLedger.config(dataDir))));
      body.accept(vertx);
    } finally {
      await(vertx.close());
    }
  }
}
