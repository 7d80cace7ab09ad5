package dev.pmm.memory;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memory over a real ledger in a temporary directory, with the hash embedder for speed. */
@ExtendWith(VertxExtension.class)
class MemoryVerticleTest {

  @TempDir
  Path dataDir;

  private JsonObject config() {
    return TestLedger.config(dataDir).put(ConfigKeys.MEMORY_EMBEDDER, Embedders.HASH);
  }

  private void deploy(Vertx vertx, JsonObject config, Embedder embedder) {
    await(PmmServer.deployCore(vertx, config));
    await(vertx.deployVerticle(new MemoryVerticle(embedder), new DeploymentOptions().setConfig(config)));
  }

  private static JsonObject status(Vertx vertx) {
    return TestLedger.request(vertx, Addresses.MEMORY_STATUS, null);
  }

  private static JsonObject recall(Vertx vertx, String text, int k, Long... exclude) {
    return TestLedger.request(vertx, Addresses.MEMORY_RECALL,
        new JsonObject().put("text", text).put("k", k).put("exclude", new JsonArray(List.of((Object[]) exclude))));
  }

  private static List<Long> ids(JsonObject recalled) {
    List<Long> ids = new ArrayList<>();
    recalled.getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getLong("event_id")));
    return ids;
  }

  private static void message(Vertx vertx, String kind, String text) {
    TestLedger.append(vertx, kind, text, new JsonObject());
  }

  /** Waits until every conversation event so far is embedded and its vector saved. */
  private static void settled(Vertx vertx, long embedded) {
    TestLedger.eventually(() -> {
      JsonObject s = status(vertx);
      return s.getLong("embedded") == embedded && s.getLong("saved") == embedded && s.getLong("queued") == 0;
    });
  }

  @Test
  void appendedConversationIsEmbeddedAndRecalled(Vertx vertx) {
    CountingEmbedder embedder = new CountingEmbedder(new HashEmbedder());
    deploy(vertx, config(), embedder);
    message(vertx, "user_message", "My dog Rex loves running on the beach");             // 1
    message(vertx, "assistant_message", "Your taxes are due next Tuesday");              // 2
    message(vertx, "autonomy_tick", "dog beach running");                                // 3: not memory
    message(vertx, "reflection", "I keep thinking about the beach at sunset");           // 4
    message(vertx, "user_message", "   ");                                               // 5: nothing to embed
    message(vertx, "response", "An old-style reply about Rex the dog");                  // 6
    settled(vertx, 4);
    assertEquals(4, embedder.calls.get());

    JsonObject top = recall(vertx, "Does Rex the dog love the beach?", 3);
    assertFalse(top.getBoolean("timed_out"));
    assertEquals(List.of(1L, 6L, 4L), ids(top), top.encode());
    JsonObject first = top.getJsonArray("items").getJsonObject(0);
    assertEquals("user_message", first.getString("kind"));
    assertEquals("My dog Rex loves running on the beach", first.getString("text"));
    assertTrue(first.getDouble("score") > 0.5, first.encode());

    assertEquals(List.of(6L, 4L), ids(recall(vertx, "Does Rex the dog love the beach?", 2, 1L)), "the message being answered is excluded");
    assertEquals(List.of(), ids(recall(vertx, "", 5)), "an empty query recalls nothing");

    JsonObject s = status(vertx);
    assertEquals("UP", s.getString("status"));
    assertEquals("hash-64", s.getString("embedder"));
    assertFalse(s.getBoolean("fallback"));
    assertEquals(4, s.getInteger("index_size"));
    assertEquals(1L, s.getJsonObject("cache").getLong("hits"), "the repeated query: " + s.encode());
    assertEquals(5L, s.getJsonObject("cache").getLong("misses"), s.encode());
  }

  @Test
  void recallAfterStartUpReadsNothing(Vertx vertx) {
    JsonObject beforeMemory;
    await(PmmServer.deployCore(vertx, config()));
    beforeMemory = TestLedger.reads(vertx);
    await(vertx.deployVerticle(new MemoryVerticle(new HashEmbedder()), new DeploymentOptions().setConfig(config())));
    JsonObject afterStart = TestLedger.reads(vertx);
    assertEquals(beforeMemory.getLong("calls") + 1, afterStart.getLong("calls"), "start-up loads the window in one read");

    for (int i = 0; i < 50; i++) {
      message(vertx, i % 2 == 0 ? "user_message" : "assistant_message", "message number " + i + " about topic " + (i % 7));
    }
    settled(vertx, 50);
    for (int i = 0; i < 200; i++) {
      JsonObject r = recall(vertx, "topic " + (i % 7), 5);
      assertEquals(5, r.getJsonArray("items").size());
    }
    assertEquals(afterStart, TestLedger.reads(vertx), "appends, embedding, saving and recall read no storage");
  }

  @Test
  void aRestartNeverEmbedsAnEventTwice() {
    JsonObject config = config();
    List<String> texts = List.of("My dog Rex loves running on the beach", "The piano lesson is on Friday",
        "Taxes are due next Tuesday", "Rex chewed the beach towel", "Lunch was a bowl of ramen");
    JsonObject before = run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      for (int i = 0; i < texts.size(); i++) {
        message(vertx, i % 2 == 0 ? "user_message" : "assistant_message", texts.get(i));
      }
      settled(vertx, texts.size());
      assertEquals(texts.size(), embedder.calls.get());
      return recall(vertx, "Rex on the beach", 5);
    });

    // The vectors come from the side table: nothing is embedded, recall answers the same.
    run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      JsonObject s = status(vertx);
      assertEquals(0, embedder.calls.get(), s.encode());
      assertEquals(0L, s.getLong("embedded"));
      assertEquals(5L, s.getLong("loaded_vectors"));
      assertEquals(5, s.getInteger("index_size"));
      assertEquals(before, recall(vertx, "Rex on the beach", 5), "the same vectors, the same answer");
      return null;
    });

    // Events appended while memory was not running are the backlog: embedded once, at the next start.
    JsonObject ledgerOnly = config.copy();
    Vertx plain = Vertx.vertx();
    try {
      await(PmmServer.deployCore(plain, ledgerOnly));
      message(plain, "user_message", "A new message about Rex and the beach");
      message(plain, "autonomy_tick", "tick");
      message(plain, "reflection", "Reflecting on piano practice");
    } finally {
      await(plain.close());
    }
    run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      settled(vertx, 2);
      assertEquals(2, embedder.calls.get());
      assertEquals(5L, status(vertx).getLong("loaded_vectors"));
      assertEquals(List.of(6L), ids(recall(vertx, "A new message about Rex and the beach", 1)));
      return null;
    });
    run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      assertEquals(0, embedder.calls.get());
      assertEquals(7L, status(vertx).getLong("loaded_vectors"));
      return null;
    });

    // Another model's vectors are another space: a new embedder embeds everything once for itself.
    run(config, new CountingEmbedder(new HashEmbedder(32)), (vertx, embedder) -> {
      settled(vertx, 7);
      assertEquals(0L, status(vertx).getLong("loaded_vectors"));
      return null;
    });
    run(config, new CountingEmbedder(new HashEmbedder(32)), (vertx, embedder) -> {
      assertEquals(0, embedder.calls.get());
      assertEquals(7L, status(vertx).getLong("loaded_vectors"));
      return null;
    });
  }

  @Test
  void theWindowBoundsWhatIsLoaded() {
    JsonObject config = config().put(ConfigKeys.MEMORY_RECALL_WINDOW, 3);
    run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      for (int i = 1; i <= 6; i++) {
        message(vertx, "user_message", "message " + i);
      }
      settled(vertx, 6);
      assertEquals(3, status(vertx).getInteger("index_size"));
      return null;
    });
    run(config, new CountingEmbedder(new HashEmbedder()), (vertx, embedder) -> {
      JsonObject s = status(vertx);
      assertEquals(3L, s.getLong("loaded_events"), s.encode());
      assertEquals(List.of(6L, 5L, 4L), ids(recall(vertx, "message", 10)));
      return null;
    });
  }

  @Test
  void recallNeverHoldsATurnPastItsBudget(Vertx vertx) {
    long budget = 100;
    CountingEmbedder slow = new CountingEmbedder(new HashEmbedder(), 1000);
    deploy(vertx, config().put(ConfigKeys.MEMORY_RECALL_BUDGET_MS, budget), slow);
    message(vertx, "user_message", "My dog Rex loves running on the beach");
    settled(vertx, 1);

    long start = System.nanoTime();
    JsonObject r = recall(vertx, "what does my pet like", 5);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(r.getBoolean("timed_out"), r.encode());
    assertEquals(0, r.getJsonArray("items").size());
    assertTrue(elapsedMs < budget + 400, "answered in " + elapsedMs + " ms");

    // A burst while the model is slow: every one answered within the budget, none queued for seconds.
    List<Future<JsonObject>> burst = new ArrayList<>();
    start = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      burst.add(vertx.eventBus().<JsonObject>request(Addresses.MEMORY_RECALL, new JsonObject().put("text", "burst " + i)).map(m -> m.body()));
    }
    await(Future.all(burst));
    elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs < budget + 400, "burst answered in " + elapsedMs + " ms");
    burst.forEach(f -> assertTrue(f.result().getBoolean("timed_out")));

    // The late embedding still lands in the cache: asked again, the same words answer in time.
    TestLedger.eventually(() -> !recall(vertx, "what does my pet like", 5).getBoolean("timed_out"));
    assertTrue(status(vertx).getLong("recall_timeouts") >= 11);
  }

  @Test
  void aBadRequestIsRefused(Vertx vertx) {
    deploy(vertx, config(), new HashEmbedder());
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("text", 5),
        new JsonObject().put("text", "x").put("k", "many"), new JsonObject().put("text", "x").put("exclude", "all"),
        new JsonObject().put("text", "x").put("exclude", new JsonArray().add("one")))) {
      Throwable e = vertx.eventBus().request(Addresses.MEMORY_RECALL, bad).toCompletionStage().toCompletableFuture()
          .handle((ok, err) -> err).join();
      assertInstanceOf(ReplyException.class, e, bad.encode());
      assertEquals(400, ((ReplyException) e).failureCode(), bad.encode());
    }
  }

  private static <T> T run(JsonObject config, CountingEmbedder embedder, java.util.function.BiFunction<Vertx, CountingEmbedder, T> body) {
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, config));
      await(vertx.deployVerticle(new MemoryVerticle(embedder), new DeploymentOptions().setConfig(config)));
      return body.apply(vertx, embedder);
    } finally {
      await(vertx.close());
    }
  }
}
