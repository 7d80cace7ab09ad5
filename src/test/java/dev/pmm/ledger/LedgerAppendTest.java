package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@ExtendWith(VertxExtension.class)
class LedgerAppendTest {

  @TempDir
  Path dataDir;

  @BeforeEach
  void deploy(Vertx vertx) {
    await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(TestLedger.config(dataDir))));
  }

  @Test
  void concurrentAppendsGetGaplessIdsAndAChainThatVerifies(Vertx vertx) {
    List<JsonObject> replies = await(TestLedger.appendMany(vertx, 2000,
        i -> new JsonObject().put("kind", "user_message").put("content", "message " + i).put("meta", new JsonObject().put("n", i))));

    Map<Long, String> hashById = new HashMap<>();
    replies.forEach(r -> hashById.put(r.getLong("id"), r.getString("hash")));
    assertEquals(2000, hashById.size(), "every reply has its own id");
    for (long id = 1; id <= 2000; id++) {
      assertTrue(hashById.containsKey(id), "id " + id + " was given");
    }

    JsonObject verify = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
    assertEquals(true, verify.getBoolean("ok"), verify.encode());
    assertEquals(2000L, verify.getLong("events"));

    long after = 0;
    int seen = 0;
    while (true) {
      JsonObject page = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", after).put("limit", 500));
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        break;
      }
      for (Object o : events) {
        JsonObject e = (JsonObject) o;
        assertEquals(hashById.get(e.getLong("id")), e.getString("hash"), "reply hash of event " + e.getLong("id"));
        int n = e.getJsonObject("meta").getInteger("n");
        assertEquals("message " + n, e.getString("content"), "content and meta of one request stay together");
        seen++;
      }
      after = page.getLong("next_after");
    }
    assertEquals(2000, seen);
  }

  @Test
  void storedEventsCarryTheOriginalsTimestampShapeAndHashRule(Vertx vertx) {
    JsonObject first = TestLedger.append(vertx, "user_message", "héllo 😀", new JsonObject().put("b", 1.0).put("a", new JsonArray().add(1).add(2.5)));
    TestLedger.append(vertx, "assistant_message", "", new JsonObject());
    JsonArray events = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0)).getJsonArray("events");
    JsonObject e1 = events.getJsonObject(0);
    JsonObject e2 = events.getJsonObject(1);
    assertTrue(e1.getString("ts").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00"), e1.getString("ts"));
    assertNull(e1.getString("prev_hash"));
    assertEquals(first.getString("hash"), e2.getString("prev_hash"));
    Event event = EventJson.fromJson(e1);
    assertEquals(HashRule.PMM_2025.hash(1, event.ts(), "user_message", "héllo 😀", event.meta(), null), e1.getString("hash"));
  }

  @Test
  void rejectedAppendsSayWhatIsWrongAndWriteNothing(Vertx vertx) {
    TestLedger.append(vertx, "user_message", "ok", new JsonObject());
    Object[][] cases = {
        {new JsonObject().put("content", "x"), "kind"},
        {new JsonObject().put("kind", "").put("content", "x"), "kind"},
        {new JsonObject().put("kind", "User Message").put("content", "x"), "kind"},
        {new JsonObject().put("kind", "a".repeat(65)).put("content", "x"), "kind"},
        {new JsonObject().put("kind", 7).put("content", "x"), "kind"},
        {new JsonObject().put("kind", "note"), "content"},
        {new JsonObject().put("kind", "note").put("content", 42), "content"},
        {new JsonObject().put("kind", "note").put("content", "x").put("meta", "{}"), "meta"},
        {new JsonObject().put("kind", "note").put("content", "x").put("meta", new JsonArray()), "meta"},
        {new JsonObject().put("kind", "note").put("content", "x").put("meta", new JsonObject().put("v", Double.NaN)), "NaN"},
        {new JsonObject().put("kind", "note").put("content", "x").put("meta", new JsonObject().put("l", new JsonArray().add(Double.POSITIVE_INFINITY))), "Infinity"},
        {new JsonObject().put("kind", "note").put("content", "x".repeat(300 * 1024)), "limit"},
        {"not an object", "JSON object"},
    };
    for (Object[] c : cases) {
      try {
        await(vertx.eventBus().request(Addresses.LEDGER_APPEND, c[0]).map(m -> m.body()));
        fail("accepted " + c[0]);
      } catch (AssertionError e) {
        ReplyException reply = (ReplyException) rootCause(e);
        assertEquals(LedgerVerticle.BAD_REQUEST, reply.failureCode(), reply.getMessage());
        assertTrue(reply.getMessage().contains((String) c[1]), "message names the problem: " + reply.getMessage());
      }
    }
    JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
    assertEquals(1L, status.getLong("last_id"), "nothing was written for the rejected appends");
    assertEquals(true, TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null).getBoolean("ok"));
    JsonObject next = TestLedger.append(vertx, "user_message", "still fine", new JsonObject());
    assertEquals(2L, next.getLong("id"), "the ledger goes on with the next id");
  }

  @Test
  void badReadRequestsAreRefused(Vertx vertx) {
    Object[] bodies = {
        new JsonObject().put("after", -1),
        new JsonObject().put("after", "3"),
        new JsonObject().put("limit", 0),
        new JsonObject().put("limit", 1_000_000),
        new JsonObject().put("kind", 5),
        "text",
    };
    for (Object body : bodies) {
      try {
        await(vertx.eventBus().request(Addresses.LEDGER_READ, body).map(m -> m.body()));
        fail("accepted " + body);
      } catch (AssertionError e) {
        ReplyException reply = (ReplyException) rootCause(e);
        assertEquals(LedgerVerticle.BAD_REQUEST, reply.failureCode(), String.valueOf(body));
      }
    }
  }

  static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
