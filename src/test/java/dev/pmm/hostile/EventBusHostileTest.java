package dev.pmm.hostile;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad bodies on every request address: each gets a failure with a code and a message, or a
 * harmless reply; never a timeout, the consumer keeps serving, and nothing is appended.
 */
@ExtendWith(VertxExtension.class)
class EventBusHostileTest {

  @TempDir
  Path dataDir;

  private static final int DEEP = 1_000;

  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    for (int i = 0; i < 5; i++) {
      TestLedger.append(vertx, "user_message", "hello " + i, new JsonObject());
    }
  }

  /** Shapes every address is sent. */
  private static List<Object> generic() {
    List<Object> bodies = new ArrayList<>();
    bodies.add(null);
    bodies.add("garbage");
    bodies.add("");
    bodies.add(42);
    bodies.add(-1L);
    bodies.add(3.5);
    bodies.add(true);
    bodies.add(new JsonArray().add(1).add("two"));
    bodies.add(new JsonObject());
    bodies.add(new JsonObject().put("x", new JsonArray()));
    // Deeper than this cannot even be sent in process: Vert.x copies a JsonObject on send,
    // recursively, and 100,000 levels overflow the sender's own stack before delivery.
    bodies.add(Hostile.nestedObject(DEEP));
    bodies.add(Hostile.nestedArray(DEEP));
    return bodies;
  }

  private static final class Outcome {
    Object reply;
    ReplyException failure;
  }

  /** Sends and classifies; a timeout or a failure without code and message fails the test. */
  private Outcome send(String address, Object body) {
    Outcome outcome = new Outcome();
    try {
      outcome.reply = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(10_000))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).body();
    } catch (Exception e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof ReplyException re)) {
        throw new AssertionError(address + " " + describe(body) + ": " + e, e);
      }
      assertNotEquals(ReplyFailure.TIMEOUT, re.failureType(), address + " " + describe(body) + " timed out");
      assertNotEquals(ReplyFailure.NO_HANDLERS, re.failureType(), address + " has no consumer any more");
      assertTrue(re.failureCode() >= 400 && re.failureCode() < 600, address + " " + describe(body) + ": code " + re.failureCode());
      assertNotNull(re.getMessage(), address + " " + describe(body));
      assertTrue(re.getMessage().length() > 8, address + " " + describe(body) + ": message \"" + re.getMessage() + "\"");
      outcome.failure = re;
    }
    return outcome;
  }

  private static String describe(Object body) {
    String text;
    try {
      text = String.valueOf(body);
    } catch (StackOverflowError | RuntimeException e) {
      text = "(deeply nested " + body.getClass().getSimpleName() + ")";
    }
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

  private void assertFails(String address, Object body, int code, String mentions) {
    Outcome o = send(address, body);
    if (o.failure == null) {
      fail(address + " " + describe(body) + " should fail, replied " + describe(o.reply));
    }
    assertEquals(code, o.failure.failureCode(), address + " " + describe(body) + ": " + o.failure.getMessage());
    assertTrue(o.failure.getMessage().contains(mentions), address + " " + describe(body) + ": \"" + o.failure.getMessage() + "\" names " + mentions);
  }

  @Test
  void everyAddressSurvivesEveryShape() {
    long lastId = Hostile.lastId(vertx);
    // address -> a good request that must still work afterwards (none of them appends)
    Map<String, Object> good = new LinkedHashMap<>();
    good.put(Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("limit", 10));
    good.put(Addresses.LEDGER_VERIFY, null);
    good.put(Addresses.CHECKPOINT_LOAD, new JsonObject().put("cache", "projection"));
    good.put(Addresses.EMBEDDINGS_LOAD, new JsonObject().put("model", "hash").put("limit", 10));
    good.put(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "hash").put("items", new JsonArray()));
    good.put(Addresses.SNAPSHOT_GET, null);
    good.put(Addresses.METRICS_GET, null);
    good.put(Addresses.TURN_CANCEL, new JsonObject().put("turn", "nobody"));
    good.put(Addresses.MEMORY_RECALL, new JsonObject().put("text", "hello"));
    good.put(Addresses.LEDGER_STATUS, null);
    good.put(Addresses.TURN_STATUS, null);
    good.put(Addresses.MEMORY_STATUS, null);
    good.put(Addresses.PROJECTION_STATUS, null);
    good.put(Addresses.METRICS_STATUS, null);
    good.put(Addresses.TICK_STATUS, null);
    for (String address : List.of(Addresses.LEDGER_APPEND, Addresses.TURN_SUBMIT, Addresses.CHECKPOINT_SAVE)) {
      for (Object body : generic()) {
        Outcome o = send(address, body);
        assertNotNull(o.failure, address + " " + describe(body) + " must fail, replied " + describe(o.reply));
        assertEquals(400, o.failure.failureCode(), address + " " + describe(body) + ": " + o.failure.getMessage());
      }
    }
    for (Map.Entry<String, Object> entry : good.entrySet()) {
      for (Object body : generic()) {
        send(entry.getKey(), body);
      }
      Outcome ok = send(entry.getKey(), entry.getValue());
      assertNotNull(ok.reply, entry.getKey() + " still serves a good request: " + (ok.failure == null ? "" : ok.failure.getMessage()));
    }
    Hostile.assertLedger(vertx, lastId, "after every shape on every address");
  }

  @Test
  void appendNamesWhatIsWrong() {
    long lastId = Hostile.lastId(vertx);
    String a = Addresses.LEDGER_APPEND;
    assertFails(a, "text", 400, "JSON object");
    assertFails(a, new JsonObject().put("content", "x"), 400, "kind");
    assertFails(a, new JsonObject().put("kind", 5).put("content", "x"), 400, "kind");
    assertFails(a, new JsonObject().put("kind", "UPPER").put("content", "x"), 400, "kind");
    assertFails(a, new JsonObject().put("kind", "k".repeat(65)).put("content", "x"), 400, "kind");
    assertFails(a, new JsonObject().put("kind", "note").put("content", 5), 400, "content");
    assertFails(a, new JsonObject().put("kind", "note").put("content", new JsonObject()), 400, "content");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x").put("meta", "str"), 400, "meta");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x").put("meta", new JsonArray()), 400, "meta");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x").put("meta", new JsonObject().put("n", Double.NaN)), 400, "NaN");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x".repeat(300_000)), 400, "limit");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x").put("meta", Hostile.nestedObject(DEEP)), 400, "meta");
    assertFails(a, new JsonObject().put("kind", "note").put("content", "x")
        .put("meta", new JsonObject().put("list", Hostile.nestedArray(DEEP))), 400, "meta");
    Hostile.assertLedger(vertx, lastId, "after bad appends");
    JsonObject appended = TestLedger.append(vertx, "note", "a good one", new JsonObject().put("deep", Hostile.nestedObject(10)));
    assertEquals(lastId + 1, appended.getLong("id"), "the next good append works");
    Hostile.assertLedger(vertx, lastId + 1, "after the good append");
  }

  @Test
  void readsAndInternalsNameWhatIsWrong() {
    long lastId = Hostile.lastId(vertx);
    String r = Addresses.LEDGER_READ;
    assertFails(r, new JsonObject().put("limit", "x"), 400, "limit");
    assertFails(r, new JsonObject().put("limit", 0), 400, "limit");
    assertFails(r, new JsonObject().put("limit", 1_000_000_000), 400, "limit");
    assertFails(r, new JsonObject().put("limit", 2.5), 400, "limit");
    assertFails(r, new JsonObject().put("after", -1), 400, "after");
    assertFails(r, new JsonObject().put("after", "0"), 400, "after");
    assertFails(r, new JsonObject().put("before", 0), 400, "before");
    assertFails(r, new JsonObject().put("before", new JsonArray()), 400, "before");
    assertFails(r, new JsonObject().put("kind", 5), 400, "kind");
    assertFails(r, new JsonObject().put("kind", ""), 400, "kind");
    assertFails(r, new JsonObject().put("up_to", "x"), 400, "up_to");
    assertFails(Addresses.LEDGER_VERIFY, new JsonObject().put("up_to", -1), 400, "up_to");
    assertFails(Addresses.LEDGER_VERIFY, "x", 400, "JSON object");
    assertFails(Addresses.CHECKPOINT_SAVE, new JsonObject().put("cache", 5), 400, "cache");
    assertFails(Addresses.CHECKPOINT_SAVE, new JsonObject().put("cache", "x").put("last_event_id", "1"), 400, "last_event_id");
    assertFails(Addresses.CHECKPOINT_SAVE, new JsonObject().put("cache", "x").put("last_event_id", 1).put("event_hash", 5), 400, "event_hash");
    assertFails(Addresses.CHECKPOINT_SAVE, new JsonObject().put("cache", "x").put("last_event_id", 1).put("event_hash", "h"), 400, "state");
    assertFails(Addresses.CHECKPOINT_LOAD, new JsonObject().put("cache", new JsonObject()), 400, "cache");
    assertFails(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "hash").put("items", "x"), 400, "items");
    assertFails(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "hash").put("items", new JsonArray().add(5)), 400, "items[0]");
    assertFails(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "hash")
        .put("items", new JsonArray().add(new JsonObject().put("event_id", 1).put("vector", "!!"))), 400, "vector");
    assertFails(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "hash")
        .put("items", new JsonArray().add(new JsonObject().put("event_id", 999).put("vector", "AAAA"))), 400, "event_id");
    assertFails(Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", "m".repeat(65)), 400, "model");
    assertFails(Addresses.EMBEDDINGS_LOAD, new JsonObject().put("model", "hash").put("kinds", new JsonArray().add(1)), 400, "kinds");
    assertFails(Addresses.EMBEDDINGS_LOAD, new JsonObject().put("model", "hash").put("limit", -5), 400, "limit");
    assertFails(Addresses.MEMORY_RECALL, new JsonObject().put("text", 5), 400, "text");
    assertFails(Addresses.MEMORY_RECALL, "hello", 400, "JSON object");
    assertFails(Addresses.MEMORY_RECALL, new JsonObject().put("text", "x").put("k", "five"), 400, "k");
    assertFails(Addresses.MEMORY_RECALL, new JsonObject().put("text", "x").put("exclude", "1,2"), 400, "exclude");
    assertFails(Addresses.MEMORY_RECALL, new JsonObject().put("text", "x").put("exclude", new JsonArray().add("1")), 400, "exclude");
    assertFails(Addresses.TURN_SUBMIT, new JsonObject().put("text", 5), 400, "text");
    assertFails(Addresses.TURN_SUBMIT, new JsonObject().put("text", "   "), 400, "text");
    assertFails(Addresses.TURN_SUBMIT, new JsonObject().put("text", "x".repeat(20_000)), 400, "limit");
    // A cancel of a turn that does not exist, whatever its type, cancels nothing.
    for (Object turn : new Object[] {5, new JsonObject(), new JsonArray(), true}) {
      Outcome o = send(Addresses.TURN_CANCEL, new JsonObject().put("turn", turn));
      assertTrue(o.failure != null || Boolean.FALSE.equals(((JsonObject) o.reply).getBoolean("cancelled")), "cancel " + turn);
    }
    Hostile.assertLedger(vertx, lastId, "after bad reads and internals");
  }

  @Test
  void aTickIgnoresItsBodyAndTheNextTurnWorks() {
    long lastId = Hostile.lastId(vertx);
    for (Object body : generic()) {
      Outcome o = send(Addresses.TICK_NOW, body);
      assertNotNull(o.reply, "tick.now " + describe(body) + " ticks: " + (o.failure == null ? "" : o.failure.getMessage()));
    }
    long ticks = generic().size();
    long afterTicks = Hostile.lastId(vertx);
    assertTrue(afterTicks >= lastId + ticks, "one autonomy_tick (at least) per tick");
    Hostile.assertLedger(vertx, afterTicks, "after ticks");
    JsonObject done = TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", "still there?"));
    assertEquals(2, done.getJsonArray("event_ids").size());
    Hostile.assertLedger(vertx, afterTicks + 2, "after a good turn");
  }
}
