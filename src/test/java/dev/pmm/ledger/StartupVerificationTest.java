package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Workload;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The events after the newest matching checkpoint are verified before the ledger serves anything:
 * a break there refuses the very first append. The background verification is off in these tests,
 * so what they see is the start-up check alone.
 */
class StartupVerificationTest {

  private static final Workload WORKLOAD = new Workload(11);

  @TempDir
  Path dataDir;

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aForgedEventAfterTheCheckpointRefusesTheFirstAppend() {
    JsonObject config = TestLedger.config(dataDir);
    start(config);
    await(TestLedger.appendMany(vertx, 2040, WORKLOAD::event));
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("checkpoints_written") >= 2);
    await(vertx.close());

    TestLedger.sql(dataDir, "UPDATE events SET content = 'forged' WHERE id = 2031");
    start(config);
    ReplyException refused = firstAppendRefused();
    assertEquals(LedgerVerticle.UNAVAILABLE, refused.failureCode());
    assertTrue(refused.getMessage().contains("broken at event 2031 (hash_mismatch)"), refused.getMessage());

    JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
    assertEquals("DEGRADED", status.getString("status"), status.encode());
    assertEquals(new JsonObject().put("after_event", 2000L).put("events", 40L).put("ok", false),
        status.getJsonObject("verified_before_serving"));
    assertEquals(2031L, status.getJsonObject("integrity").getJsonObject("first_break").getLong("id"));
    assertEquals(2040L, status.getLong("last_id"), "nothing was appended");
    // A broken tail sends the whole chain to the background verification, which finds the same break.
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getJsonObject("integrity").getBoolean("whole_chain"));
    JsonObject whole = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getJsonObject("integrity");
    assertEquals(2040L, whole.getLong("events"));
    assertEquals(2031L, whole.getJsonObject("first_break").getLong("id"));
  }

  @Test
  void withoutACheckpointTheWholeChainIsVerifiedBeforeServing() {
    JsonObject config = TestLedger.config(dataDir);
    start(config);
    await(TestLedger.appendMany(vertx, 30, WORKLOAD::event));
    await(vertx.close());

    TestLedger.sql(dataDir, "UPDATE events SET prev_hash = NULL WHERE id = 3");
    start(config);
    ReplyException refused = firstAppendRefused();
    assertTrue(refused.getMessage().contains("broken at event 3 (prev_hash_mismatch)"), refused.getMessage());
    JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
    assertEquals(new JsonObject().put("after_event", 0L).put("events", 30L).put("ok", false),
        status.getJsonObject("verified_before_serving"));
    assertTrue(status.getJsonObject("integrity").getBoolean("whole_chain"), status.encode());
  }

  @Test
  void anIntactTailIsServedAtOnce() {
    JsonObject config = TestLedger.config(dataDir);
    start(config);
    await(TestLedger.appendMany(vertx, 1010, WORKLOAD::event));
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("checkpoints_written") >= 1);
    await(vertx.close());

    start(config);
    JsonObject appended = TestLedger.append(vertx, "note", "first after start", new JsonObject());
    assertEquals(1011L, appended.getLong("id"));
    JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
    assertEquals(new JsonObject().put("after_event", 1000L).put("events", 10L).put("ok", true),
        status.getJsonObject("verified_before_serving"));
    assertEquals("UP", status.getString("status"));
  }

  private ReplyException firstAppendRefused() {
    Throwable failure = await(vertx.eventBus().request(Addresses.LEDGER_APPEND,
            new JsonObject().put("kind", "note").put("content", "first after start"))
        .transform(ar -> Future.succeededFuture(ar.cause())));
    return assertInstanceOf(ReplyException.class, failure, "the first append must be refused");
  }

  private void start(JsonObject config) {
    vertx = Vertx.vertx();
    await(PmmServer.deployCore(vertx, config));
  }
}
