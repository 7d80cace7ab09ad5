package dev.pmm.guard;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Workload;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's lesson as a build failure: against a 50,000-event mind, 200 turns and 200 ticks after
 * start-up read nothing whole, nothing per tick, at most one read per turn, and every cache folds
 * exactly the events appended. A refactor that bypasses a cache fails here, by counts, not times.
 */
class ReadGuardTest {

  private static final Workload WORKLOAD = new Workload(5);

  @TempDir
  Path dataDir;

  @Test
  void turnsAndTicksOnA50kLedgerReadNothingTheyShouldNot() {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.CHECKPOINT_EVERY, 1000)
        .put(ConfigKeys.REFLECTION_MIN_TURNS, 3).put(ConfigKeys.REFLECTION_MIN_SECONDS, 0);
    Vertx filling = Vertx.vertx();
    try {
      await(PmmServer.deployCore(filling, config));
      for (int from = 0; from < 50_000; from += 5_000) {
        int start = from;
        await(TestLedger.appendMany(filling, 5_000, i -> WORKLOAD.event(start + i)));
      }
    } finally {
      await(filling.close());
    }

    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deploy(vertx, config));
      JsonObject atStart = TestLedger.reads(vertx);
      long lastAtStart = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
      long projectionAtStart = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("folded");
      long metricsAtStart = TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("folded");

      long turnReads = 0;
      long tickReads = 0;
      for (int i = 0; i < 200; i++) {
        long before = TestLedger.reads(vertx).getLong("calls");
        TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", i % 20 == 0
            ? "Please write a note about tick " + i : "Tell me about the ledger, message " + i));
        long afterTurn = TestLedger.reads(vertx).getLong("calls");
        assertTrue(afterTurn - before <= 1, "turn " + i + " read storage " + (afterTurn - before) + " times");
        turnReads += afterTurn - before;
        TestLedger.request(vertx, Addresses.TICK_NOW, null);
        long afterTick = TestLedger.reads(vertx).getLong("calls");
        assertEquals(afterTurn, afterTick, "tick " + i + " read storage");
        tickReads += afterTick - afterTurn;
      }

      JsonObject atEnd = TestLedger.reads(vertx);
      assertEquals(atStart.getLong("full_scans"), atEnd.getLong("full_scans"), "no full scan after start-up");
      assertEquals(0, tickReads);
      assertTrue(turnReads <= 200, "at most one read per turn: " + turnReads);
      long appended = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id") - lastAtStart;
      assertTrue(appended >= 800, "turns and ticks wrote " + appended + " events");
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("folded") - projectionAtStart == appended
          && TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("folded") - metricsAtStart == appended);
      assertEquals(appended, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getLong("events") - lastAtStart,
          "the snapshot saw every event once");
    } finally {
      await(vertx.close());
    }
  }
}
