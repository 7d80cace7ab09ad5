package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifications of the whole chain: concurrent requests share one scan, and the newest is remembered across restarts. */
@ExtendWith(VertxExtension.class)
class SharedVerificationTest {

  private static final int EVENTS = 5_000;

  @TempDir
  Path dataDir;

  @Test
  void concurrentRequestsJoinOneScan(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)));
    await(TestLedger.appendMany(vertx, EVENTS, i -> new JsonObject().put("kind", "user_message").put("content", "m" + i)));
    JsonObject before = TestLedger.reads(vertx);
    List<Future<Message<JsonObject>>> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(vertx.eventBus().request(Addresses.LEDGER_VERIFY, null));
    }
    await(Future.all(requests));
    JsonObject after = TestLedger.reads(vertx);
    long rows = after.getLong("rows") - before.getLong("rows");
    assertTrue(rows <= EVENTS, "five concurrent verifications read " + rows + " rows: one chain is " + EVENTS);
    assertEquals(1L, after.getLong("full_scans") - before.getLong("full_scans"));
    JsonObject first = requests.get(0).result().body();
    assertTrue(first.getBoolean("ok"), first.encode());
    assertEquals((long) EVENTS, first.getLong("up_to"));
    assertNotNull(first.getString("verified_at"));
    for (Future<Message<JsonObject>> request : requests) {
      assertEquals(first, request.result().body(), "every caller gets the one report");
    }
    JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_VERIFY_STATUS, null);
    assertEquals(false, status.getBoolean("running"));
    assertEquals(first.getString("verified_at"), status.getJsonObject("last").getString("verified_at"));
  }

  @Test
  void theNewestVerificationIsRememberedAcrossARestart(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)));
    await(TestLedger.appendMany(vertx, 100, i -> new JsonObject().put("kind", "user_message").put("content", "m" + i)));
    JsonObject report = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
    await(vertx.close());
    Vertx again = Vertx.vertx();
    try {
      await(PmmServer.deployCore(again, TestLedger.config(dataDir)));
      JsonObject last = TestLedger.request(again, Addresses.LEDGER_VERIFY_STATUS, null).getJsonObject("last");
      assertEquals("request", last.getString("source"));
      assertEquals(100L, last.getLong("up_to"));
      assertEquals(report.getString("up_to_hash"), last.getString("up_to_hash"));
      assertEquals(report.getString("verified_at"), last.getString("verified_at"));
      assertTrue(last.getBoolean("ok"));
    } finally {
      await(again.close());
    }
  }

  @Test
  void aRequestDuringTheStartUpVerificationJoinsIt(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)));
    await(TestLedger.appendMany(vertx, EVENTS, i -> new JsonObject().put("kind", "user_message").put("content", "m" + i)));
    await(vertx.close());
    Vertx again = Vertx.vertx();
    try {
      // Checkpoints every 1,000: the start verifies the tail before serving, then the whole chain in the background.
      await(PmmServer.deployCore(again, TestLedger.config(dataDir).put(ConfigKeys.LEDGER_VERIFY_ON_START, true)));
      JsonObject before = TestLedger.reads(again);
      JsonObject report = TestLedger.request(again, Addresses.LEDGER_VERIFY, null);
      assertTrue(report.getBoolean("ok"));
      TestLedger.eventually(() -> !TestLedger.request(again, Addresses.LEDGER_VERIFY_STATUS, null).getBoolean("running"));
      long rows = TestLedger.reads(again).getLong("rows") - before.getLong("rows");
      assertTrue(rows <= EVENTS, "the request and the start-up verification read " + rows + " rows together");
    } finally {
      await(again.close());
    }
  }
}
