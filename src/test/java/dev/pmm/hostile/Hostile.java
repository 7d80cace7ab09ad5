package dev.pmm.hostile;

import dev.pmm.Addresses;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every hostile case checks afterwards: the ledger is exactly as it was and its chain verifies. */
final class Hostile {
  private Hostile() {}

  static long lastId(Vertx vertx) {
    return TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
  }

  static void assertLedger(Vertx vertx, long expectedLastId, String what) {
    assertEquals(expectedLastId, lastId(vertx), what + ": the ledger's last id");
    JsonObject verify = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
    assertTrue(verify.getBoolean("ok"), what + ": the chain verifies: " + verify.encode());
    assertEquals(expectedLastId, verify.getLong("events"), what + ": events verified");
  }

  /** {@code depth} nested JSON arrays, as text. */
  static String nestedArrays(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** {@code depth} nested objects {"a": {"a": ...}}, built without recursion. */
  static JsonObject nestedObject(int depth) {
    JsonObject inner = new JsonObject();
    for (int i = 0; i < depth; i++) {
      inner = new JsonObject().put("a", inner);
    }
    return inner;
  }

  static JsonArray nestedArray(int depth) {
    JsonArray inner = new JsonArray();
    for (int i = 0; i < depth; i++) {
      inner = new JsonArray().add(inner);
    }
    return inner;
  }
}
