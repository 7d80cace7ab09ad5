package dev.pmm.memory;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.mind.MindContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real all-MiniLM-L6-v2, offline, from the jar: recall finds meaning, not shared words. */
@ExtendWith(VertxExtension.class)
class MiniLmRecallTest {

  private static final List<String> CONVERSATION = List.of(
      "I started learning to play the piano last month.",
      "My dog Rex loves running on the beach.",
      "The quarterly tax filing is due next Tuesday.",
      "I'm reading a novel about the French Revolution.",
      "We repainted the kitchen a pale shade of green.",
      "My sister just moved to Tokyo for a new job.",
      "The server crashed twice because the disk filled up.",
      "I had a great bowl of ramen for lunch today.");

  private static Embedders.Choice choice;

  @BeforeAll
  static void load() {
    choice = Embedders.create("minilm");
  }

  @Test
  void loadsOfflineWith384Dimensions() {
    assertFalse(choice.fallback(), String.valueOf(choice.fallbackReason()));
    assertEquals(MiniLmEmbedder.MODEL_ID, choice.embedder().modelId());
    assertEquals(384, choice.embedder().dimensions());
    float[] v = choice.embedder().embed("hello");
    assertEquals(384, v.length);
    assertEquals(1.0, Vectors.norm(v), 1e-3, "MiniLM's vectors are normalised");
  }

  @Test
  void recallsThePetMessageFirst() {
    Embedder embedder = choice.embedder();
    EmbeddingCache cache = new EmbeddingCache(100);
    RecallIndex index = new RecallIndex(100);
    for (int i = 0; i < CONVERSATION.size(); i++) {
      index.add(i + 1, i % 2 == 0 ? "user_message" : "assistant_message", CONVERSATION.get(i),
          cache.embed(embedder, CONVERSATION.get(i)));
    }
    // No word in common with the dog message: only meaning connects them.
    List<MindContext.Recalled> top = index.topK(cache.embed(embedder, "What does my pet like to do?"), 3, Set.of());
    assertEquals(2L, top.get(0).eventId(), top.toString());
    assertEquals("My dog Rex loves running on the beach.", top.get(0).text());
    assertTrue(top.get(0).score() > top.get(1).score(), top.toString());

    List<MindContext.Recalled> cooking = index.topK(cache.embed(embedder, "What did I eat?"), 1, Set.of());
    assertEquals(8L, cooking.get(0).eventId(), cooking.toString());
    List<MindContext.Recalled> family = index.topK(cache.embed(embedder, "Where does my sibling live now?"), 1, Set.of());
    assertEquals(6L, family.get(0).eventId(), family.toString());
  }

  @Test
  void theServerRecallsByMeaningOverTheBus(Vertx vertx, @TempDir Path dataDir) {
    // The configured embedder, as `pmm serve` runs it; a generous budget, as CI machines are slow.
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.MEMORY_EMBEDDER, Embedders.MINILM)
        .put(ConfigKeys.MEMORY_RECALL_BUDGET_MS, 10_000);
    TestLedger.await(PmmServer.deployCore(vertx, config));
    TestLedger.await(vertx.deployVerticle(new MemoryVerticle(), new DeploymentOptions().setConfig(config)));
    for (int i = 0; i < CONVERSATION.size(); i++) {
      TestLedger.append(vertx, i % 2 == 0 ? "user_message" : "assistant_message", CONVERSATION.get(i), new JsonObject());
    }
    JsonObject question = TestLedger.append(vertx, "user_message", "What does my pet like to do?", new JsonObject());
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.MEMORY_STATUS, null).getLong("saved") == 9);

    JsonObject status = TestLedger.request(vertx, Addresses.MEMORY_STATUS, null);
    assertEquals(MiniLmEmbedder.MODEL_ID, status.getString("embedder"));
    assertEquals(384, status.getInteger("dimensions"));
    JsonObject recalled = TestLedger.request(vertx, Addresses.MEMORY_RECALL, new JsonObject()
        .put("text", "What does my pet like to do?").put("k", 3).put("exclude", new JsonArray().add(question.getLong("id"))));
    assertFalse(recalled.getBoolean("timed_out"));
    assertEquals("My dog Rex loves running on the beach.", recalled.getJsonArray("items").getJsonObject(0).getString("text"),
        recalled.encode());
    assertEquals(1L, TestLedger.request(vertx, Addresses.MEMORY_STATUS, null).getJsonObject("cache").getLong("hits"),
        "the question was embedded once, as an event, and the recall found it in the cache");
  }

  @Test
  void unrelatedEmbedderNamesAreRejected() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Embedders.create("word2vec"));
    assertEquals(HashEmbedder.class, Embedders.create("hash").embedder().getClass());
  }
}
