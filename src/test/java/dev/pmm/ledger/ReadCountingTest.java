package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The caches are the only path: after start-up, appends and snapshots never touch storage reads. */
@ExtendWith(VertxExtension.class)
class ReadCountingTest {

  @TempDir
  Path dataDir;

  @Test
  void appendsAndSnapshotsAfterStartUpReadNothing(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)));
    JsonObject before = TestLedger.reads(vertx);

    await(TestLedger.appendMany(vertx, 1000, i -> new JsonObject().put("kind", i % 10 == 0 ? "autonomy_tick" : "user_message")
        .put("content", "m" + i).put("meta", new JsonObject())));
    JsonObject snapshot = null;
    for (int i = 0; i < 1000; i++) {
      snapshot = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
    }

    assertEquals(1000L, snapshot.getLong("last_event_id"), "the snapshot saw every append");
    assertEquals(1000L, snapshot.getLong("events"));
    assertEquals(100L, snapshot.getLong("ticks"));
    assertEquals(before, TestLedger.reads(vertx), "no storage read after start-up");
    JsonObject projection = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null);
    JsonObject metrics = TestLedger.request(vertx, Addresses.METRICS_STATUS, null);
    assertEquals(1000L, projection.getLong("folded"), "each event folded exactly once");
    assertEquals(1000L, metrics.getLong("folded"), "each event folded exactly once");
  }
}
