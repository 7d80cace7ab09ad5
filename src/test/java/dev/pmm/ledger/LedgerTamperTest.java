package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Rows edited behind the server's back: verify names the exact event and reason. */
class LedgerTamperTest {

  @TempDir
  Path dataDir;

  @Test
  void editedContent() {
    assertBreaks(List.of("10:hash_mismatch"), "UPDATE events SET content = 'forged' WHERE id = 10");
  }

  @Test
  void editedMeta() {
    assertBreaks(List.of("7:hash_mismatch"), "UPDATE events SET meta = '{\"n\": 999}' WHERE id = 7");
  }

  @Test
  void editedTimestamp() {
    assertBreaks(List.of("3:hash_mismatch"), "UPDATE events SET ts = '2020-01-01T00:00:00+00:00' WHERE id = 3");
  }

  @Test
  void editedHashBreaksItselfAndTheNextLink() {
    assertBreaks(List.of("12:hash_mismatch", "13:prev_hash_mismatch"),
        "UPDATE events SET hash = '" + "0".repeat(64) + "' WHERE id = 12");
  }

  @Test
  void deletedRowIsAGapAndABrokenLink() {
    assertBreaks(List.of("6:id_gap", "6:prev_hash_mismatch"), "DELETE FROM events WHERE id = 5");
  }

  @Test
  void metaThatIsNotJsonIsNamed() {
    assertBreaks(List.of("4:meta_invalid", "4:hash_mismatch"), "UPDATE events SET meta = '{not json' WHERE id = 4");
  }

  private void assertBreaks(List<String> expected, String tamper) {
    Vertx vertx = Vertx.vertx();
    DeploymentOptions options = new DeploymentOptions().setConfig(TestLedger.config(dataDir));
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), options));
      for (int i = 1; i <= 20; i++) {
        TestLedger.append(vertx, "user_message", "message " + i, new JsonObject().put("n", i).put("f", i / 3.0));
      }
      assertEquals(true, TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null).getBoolean("ok"));
    } finally {
      await(vertx.close());
    }
    TestLedger.sql(dataDir, tamper);
    Vertx again = Vertx.vertx();
    try {
      await(again.deployVerticle(new LedgerVerticle(), options));
      JsonObject report = TestLedger.request(again, Addresses.LEDGER_VERIFY, null);
      assertFalse(report.getBoolean("ok"));
      List<String> found = new ArrayList<>();
      JsonArray breaks = report.getJsonArray("breaks");
      breaks.forEach(b -> found.add(((JsonObject) b).getLong("id") + ":" + ((JsonObject) b).getString("reason")));
      assertEquals(expected, found, report.encodePrettily());
      assertEquals((long) expected.size(), report.getLong("break_count"));
    } finally {
      await(again.close());
    }
  }
}
