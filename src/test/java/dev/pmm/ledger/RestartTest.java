package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Workload;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Start-up loads the newest checkpoint and reads only the events after it. */
class RestartTest {

  private static final Workload WORKLOAD = new Workload(7);

  @TempDir
  Path dataDir;

  @Test
  void restartGivesTheSameSnapshotReadingOnlyEventsAfterTheCheckpoint() {
    JsonObject config = TestLedger.config(dataDir);
    JsonObject before = run(config, vertx -> {
      await(TestLedger.appendMany(vertx, 5000, i -> WORKLOAD.event(i)));
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("checkpoints_written") >= 5
          && TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("checkpoints_written") >= 5);
      return TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
    });
    assertEquals(5000L, before.getLong("events"));

    // 5,000 events and a checkpoint every 1,000: both caches start at 5,000 and read nothing after it.
    run(config, vertx -> {
      JsonObject after = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
      assertEquals(before, after, "the snapshot survives a restart");
      JsonObject reads = TestLedger.reads(vertx);
      assertEquals(0L, reads.getLong("full_scans"), reads.encode());
      // The ledger reads its head, its newest verification (none here), the newest matching checkpoint,
      // and one page of the (empty) tail it verifies before serving; then per cache one checkpoint
      // lookup (3 kept), one hash check of its event, one page that finds nothing new.
      assertEquals(4L + 2 * 3, reads.getLong("calls"), reads.encode());
      assertEquals(2L + 2 * (3 + 1), reads.getLong("rows"), reads.encode());
      JsonObject projection = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null);
      assertEquals(5000L, projection.getLong("checkpoint_loaded_at"));
      assertEquals(0L, projection.getLong("folded"));
      return null;
    });

    // 250 events more, then a restart: only those 250 are read, once by each cache.
    run(config, vertx -> {
      await(TestLedger.appendMany(vertx, 250, i -> WORKLOAD.event(5000 + i)));
      return null;
    });
    run(config, vertx -> {
      JsonObject reads = TestLedger.reads(vertx);
      // Those 250 are verified before serving, then folded by each cache.
      assertEquals(2L + 250 + 2 * (3 + 1 + 250), reads.getLong("rows"), reads.encode());
      JsonObject verified = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getJsonObject("verified_before_serving");
      assertEquals(new JsonObject().put("after_event", 5000L).put("events", 250L).put("ok", true), verified);
      assertEquals(0L, reads.getLong("full_scans"));
      assertEquals(250L, TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("folded"));
      assertEquals(5250L, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getLong("events"));
      return null;
    });
  }

  static <T> T run(JsonObject config, java.util.function.Function<Vertx, T> body) {
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, config));
      return body.apply(vertx);
    } finally {
      await(vertx.close());
    }
  }
}
