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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The side table of memory's vectors: pmm.embeddings.put and pmm.embeddings.load. */
@ExtendWith(VertxExtension.class)
class EmbeddingStoreTest {

  @TempDir
  Path dataDir;

  private Vertx vertx;

  @BeforeEach
  void ledger(Vertx vertx) {
    this.vertx = vertx;
    await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(TestLedger.config(dataDir))));
    String[] kinds = {"user_message", "autonomy_tick", "assistant_message", "reflection", "trait_update", "user_message"};
    for (int i = 0; i < kinds.length; i++) {
      TestLedger.append(vertx, kinds[i], "event " + (i + 1) + " " + "x".repeat(20), new JsonObject());
    }
  }

  private static String vector(float... values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  private JsonObject put(String model, Object... idsAndVectors) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < idsAndVectors.length; i += 2) {
      items.add(new JsonObject().put("event_id", idsAndVectors[i]).put("vector", idsAndVectors[i + 1]));
    }
    return TestLedger.request(vertx, Addresses.EMBEDDINGS_PUT, new JsonObject().put("model", model).put("items", items));
  }

  private JsonArray load(JsonObject request) {
    return TestLedger.request(vertx, Addresses.EMBEDDINGS_LOAD, request).getJsonArray("events");
  }

  @Test
  void loadsTheNewestConversationWithTheVectorsOfOneModel() {
    assertEquals(2, put("m1", 1, vector(1f, 2f), 6, vector(3f, 4f)).getInteger("saved"));
    assertEquals(1, put("m2", 3, vector(5f)).getInteger("saved"));
    assertEquals(0, put("m1", 1, vector(9f, 9f)).getInteger("saved"), "a stored vector is kept");

    JsonObject before = TestLedger.reads(vertx);
    JsonArray events = load(new JsonObject().put("model", "m1").put("limit", 3));
    JsonObject after = TestLedger.reads(vertx);
    assertEquals(before.getLong("calls") + 1, after.getLong("calls"), "one counted read");
    assertEquals(before.getLong("rows") + 3, after.getLong("rows"));
    assertEquals(before.getLong("full_scans"), after.getLong("full_scans"));

    // The newest three of user/assistant/reflection, oldest first: 3, 4, 6 (1 is older, 2 and 5 other kinds).
    assertEquals(List.of(3L, 4L, 6L), events.stream().map(e -> ((JsonObject) e).getLong("id")).toList());
    assertNull(events.getJsonObject(0).getString("vector"), "event 3 has only an m2 vector");
    assertNull(events.getJsonObject(1).getValue("vector"));
    assertEquals(vector(3f, 4f), events.getJsonObject(2).getString("vector"));
    assertEquals("user_message", events.getJsonObject(2).getString("kind"));
    assertEquals("event 6 " + "x".repeat(20), events.getJsonObject(2).getString("content"));

    JsonArray all = load(new JsonObject().put("model", "m1").put("limit", 10).put("max_chars", 7)
        .put("kinds", new JsonArray().add("user_message").add("autonomy_tick")));
    assertEquals(List.of(1L, 2L, 6L), all.stream().map(e -> ((JsonObject) e).getLong("id")).toList());
    assertEquals("event 1", all.getJsonObject(0).getString("content"), "content clipped to max_chars");
    assertEquals(vector(1f, 2f), all.getJsonObject(0).getString("vector"));
  }

  @Test
  void refusesWhatCannotBeAVectorOfAnEvent() {
    List<JsonObject> bad = List.of(
        new JsonObject().put("items", new JsonArray()),
        new JsonObject().put("model", "x".repeat(65)).put("items", new JsonArray()),
        item(7, vector(1f)),                      // past the last event
        item(0, vector(1f)),
        item(1, "not base64!"),
        item(1, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})),
        item(1, Base64.getEncoder().encodeToString(new byte[16388])),
        new JsonObject().put("model", "m").put("items", new JsonArray().add("x")),
        new JsonObject().put("model", "m").put("items", "all"));
    for (JsonObject request : bad) {
      Throwable e = vertx.eventBus().request(Addresses.EMBEDDINGS_PUT, request).toCompletionStage().toCompletableFuture()
          .handle((ok, err) -> err).join();
      assertInstanceOf(ReplyException.class, e, request.encode());
      assertEquals(LedgerVerticle.BAD_REQUEST, ((ReplyException) e).failureCode(), request.encode());
    }
    for (JsonObject request : List.of(new JsonObject().put("limit", 5), new JsonObject().put("model", "m").put("limit", 0),
        new JsonObject().put("model", "m").put("kinds", "user_message"), new JsonObject().put("model", "m").put("kinds", new JsonArray()))) {
      Throwable e = vertx.eventBus().request(Addresses.EMBEDDINGS_LOAD, request).toCompletionStage().toCompletableFuture()
          .handle((ok, err) -> err).join();
      assertInstanceOf(ReplyException.class, e, request.encode());
      assertEquals(LedgerVerticle.BAD_REQUEST, ((ReplyException) e).failureCode(), request.encode());
    }
    assertTrue(load(new JsonObject().put("model", "m").put("limit", 10)).stream()
        .allMatch(e -> ((JsonObject) e).getValue("vector") == null), "nothing of a refused put was written");
  }

  private static JsonObject item(long id, String vector) {
    return new JsonObject().put("model", "m").put("items", new JsonArray().add(new JsonObject().put("event_id", id).put("vector", vector)));
  }
}
