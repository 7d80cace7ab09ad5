package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.cli.Workload;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verify reads the chain in pages of 5,000: breaks across a page boundary, its counted reads, up_to. */
class VerifyPagesTest {

  private static final Workload WORKLOAD = new Workload(3);

  @TempDir
  Path dataDir;

  @Test
  void breaksAcrossPagesAreNamedAndEveryPageIsACountedRead() {
    DeploymentOptions options = new DeploymentOptions().setConfig(TestLedger.config(dataDir));
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), options));
      await(TestLedger.appendMany(vertx, 10_001, WORKLOAD::event));
      JsonObject before = TestLedger.reads(vertx);
      JsonObject report = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
      JsonObject after = TestLedger.reads(vertx);
      assertTrue(report.getBoolean("ok"), report.encode());
      assertEquals(10_001L, report.getLong("events"));
      assertEquals(1L, after.getLong("full_scans") - before.getLong("full_scans"));
      assertEquals(3L, after.getLong("calls") - before.getLong("calls"), "pages of 5000, 5000 and 1");
      assertEquals(10_001L, after.getLong("rows") - before.getLong("rows"));
    } finally {
      await(vertx.close());
    }

    // The last event of the first page and the one before the last event of the ledger.
    TestLedger.sql(dataDir, "UPDATE events SET hash = '" + "0".repeat(64) + "' WHERE id = 5000",
        "DELETE FROM events WHERE id = 10000");
    Vertx again = Vertx.vertx();
    try {
      await(again.deployVerticle(new LedgerVerticle(), options));
      JsonObject report = TestLedger.request(again, Addresses.LEDGER_VERIFY, null);
      assertFalse(report.getBoolean("ok"));
      List<String> found = new ArrayList<>();
      report.getJsonArray("breaks").forEach(b -> found.add(((JsonObject) b).getLong("id") + ":" + ((JsonObject) b).getString("reason")));
      assertEquals(List.of("5000:hash_mismatch", "5001:prev_hash_mismatch", "10001:id_gap", "10001:prev_hash_mismatch"),
          found, report.encodePrettily());
      assertEquals(10_000L, report.getLong("events"));

      JsonObject upTo = TestLedger.request(again, Addresses.LEDGER_VERIFY, new JsonObject().put("up_to", 4999));
      assertTrue(upTo.getBoolean("ok"), upTo.encode());
      assertEquals(4999L, upTo.getLong("events"));
    } finally {
      await(again.close());
    }
  }

  /**
   * A scan must let go of each page once it is consumed: a 1,000,000-event verify has to fit a heap
   * far smaller than the ledger. At the last page, the pages before the one just read are garbage.
   */
  @Test
  void aScanHoldsNoPageItHasConsumed() {
    DeploymentOptions options = new DeploymentOptions().setConfig(TestLedger.config(dataDir));
    Vertx vertx = Vertx.vertx();
    try {
      LedgerVerticle ledger = new LedgerVerticle();
      await(vertx.deployVerticle(ledger, options));
      await(TestLedger.appendMany(vertx, 6 * 1000, WORKLOAD::event));
      List<WeakReference<List<RowReader.StoredRow>>> consumed = new ArrayList<>();
      List<Integer> reachableAtLastPage = new ArrayList<>();
      Promise<Void> scanned = Promise.promise();
      vertx.runOnContext(v -> ledger.scan(0, 6 * 1000, 1000, rows -> {
        consumed.add(new WeakReference<>(rows));
        if (rows.get(rows.size() - 1).id() == 6 * 1000) {
          for (int attempt = 0; attempt < 5 && reachable(consumed.subList(0, 4)) > 0; attempt++) {
            System.gc();
          }
          reachableAtLastPage.add(reachable(consumed.subList(0, 4)));
        }
      }).onComplete(scanned));
      await(scanned.future());
      assertEquals(6, consumed.size());
      assertEquals(List.of(0), reachableAtLastPage, "pages 1 to 4 still reachable while page 6 is consumed");
    } finally {
      await(vertx.close());
    }
  }

  private static int reachable(List<WeakReference<List<RowReader.StoredRow>>> pages) {
    int count = 0;
    for (WeakReference<List<RowReader.StoredRow>> page : pages) {
      if (page.get() != null) {
        count++;
      }
    }
    return count;
  }
}
