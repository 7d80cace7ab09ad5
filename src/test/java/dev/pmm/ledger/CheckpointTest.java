package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.cli.Workload;
import dev.pmm.support.TestLedger;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint that is corrupt, unreadable or newer than the ledger is passed over, with a warning. */
class CheckpointTest {

  private static final Workload WORKLOAD = new Workload(11);

  @TempDir
  Path dataDir;
  private JsonObject config;
  private JsonObject snapshotAt2500;

  @BeforeEach
  void ledgerWithCheckpointsAt1000And2000() {
    config = TestLedger.config(dataDir);
    snapshotAt2500 = RestartTest.run(config, vertx -> {
      await(TestLedger.appendMany(vertx, 2500, i -> WORKLOAD.event(i)));
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("checkpoints_written") >= 2
          && TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("checkpoints_written") >= 2);
      return TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
    });
  }

  @Test
  void corruptCheckpointFallsBackToTheOlderOne() {
    TestLedger.sql(dataDir, "UPDATE checkpoints SET state = 'torn' WHERE last_event_id = 2000");
    RestartTest.run(config, vertx -> {
      assertEquals(snapshotAt2500, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null));
      JsonObject status = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null);
      assertEquals(1000L, status.getLong("checkpoint_loaded_at"));
      assertEquals(1500L, status.getLong("folded"));
      assertTrue(status.getJsonArray("checkpoint_warnings").encode().contains("corrupt"), status.encode());
      return null;
    });
  }

  @Test
  void checkpointThatCannotBeRestoredMeansAFullReplay() {
    String state = "{\"schema\":999}";
    String checksum = LedgerVerticle.sha256(state);
    TestLedger.sql(dataDir, "UPDATE checkpoints SET state = '" + state + "', checksum = '" + checksum + "'");
    RestartTest.run(config, vertx -> {
      assertEquals(snapshotAt2500, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null));
      JsonObject status = TestLedger.request(vertx, Addresses.METRICS_STATUS, null);
      assertEquals(2500L, status.getLong("folded"), "replayed from the first event");
      assertTrue(status.getJsonArray("checkpoint_warnings").encode().contains("cannot be restored"), status.encode());
      return null;
    });
  }

  @Test
  void checkpointNewerThanTheLedgerIsNotTrusted() {
    TestLedger.sql(dataDir, "DELETE FROM events WHERE id > 1500");
    RestartTest.run(config, vertx -> {
      JsonObject snapshot = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
      assertEquals(1500L, snapshot.getLong("events"));
      JsonObject status = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null);
      assertEquals(1000L, status.getLong("checkpoint_loaded_at"));
      assertTrue(status.getJsonArray("checkpoint_warnings").encode().contains("newer than the ledger"), status.encode());
      return null;
    });
  }

  @Test
  void checkpointOfAnotherLedgerIsNotTrusted() {
    TestLedger.sql(dataDir, "UPDATE events SET hash = '" + "f".repeat(64) + "' WHERE id = 2000");
    RestartTest.run(config, vertx -> {
      JsonObject status = TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null);
      assertEquals(1000L, status.getLong("checkpoint_loaded_at"));
      assertTrue(status.getJsonArray("checkpoint_warnings").encode().contains("does not match the ledger"), status.encode());
      return null;
    });
  }
}
