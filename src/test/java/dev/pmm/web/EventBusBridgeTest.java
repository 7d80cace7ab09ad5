package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SockJS bridge at /eventbus, spoken over its raw WebSocket endpoint: only the listed addresses pass. */
@ExtendWith(VertxExtension.class)
class EventBusBridgeTest {

  @TempDir
  Path dataDir;
  private WebSocketClient wsClient;
  private WebSocket ws;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect(Vertx vertx) {
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    wsClient = vertx.createWebSocketClient();
    ws = OnContext.await(vertx, () -> wsClient.connect(web.port(), "127.0.0.1", "/eventbus/websocket").map(socket -> {
      // The bridge writes its frames as binary messages: read every message, whatever its type.
      socket.handler(buffer -> frames.add(buffer.toJsonObject()));
      return socket;
    }));
  }

  private JsonObject awaitFrame(java.util.function.Predicate<JsonObject> match) {
    TestLedger.eventually(() -> frames.stream().anyMatch(match));
    return frames.stream().filter(match).findFirst().orElseThrow();
  }

  @Test
  void aBrowserCannotAppendButCanAskAndListen(Vertx vertx) {
    ws.writeTextMessage(new JsonObject().put("type", "send").put("address", Addresses.LEDGER_APPEND).put("replyAddress", "r1")
        .put("body", new JsonObject().put("kind", "identity_adopt").put("content", "Mallory").put("meta", new JsonObject())).encode());
    JsonObject refused = awaitFrame(f -> "err".equals(f.getString("type")));
    assertEquals("access_denied", refused.getString("body", refused.getString("message")), refused.encode());

    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", Addresses.SNAPSHOT_CHANGED).encode());
    ws.writeTextMessage(new JsonObject().put("type", "send").put("address", Addresses.SNAPSHOT_GET).put("replyAddress", "r2")
        .put("body", new JsonObject()).encode());
    JsonObject snapshot = awaitFrame(f -> "r2".equals(f.getString("address")));
    assertEquals(0L, snapshot.getJsonObject("body").getLong("events"), "nothing was appended through the bridge");

    ws.writeTextMessage(new JsonObject().put("type", "send").put("address", Addresses.TURN_SUBMIT).put("replyAddress", "r3")
        .put("body", new JsonObject().put("text", "hello through the bridge")).encode());
    JsonObject done = awaitFrame(f -> "r3".equals(f.getString("address")));
    assertTrue(done.getJsonObject("body").getString("reply").length() > 0);
    awaitFrame(f -> Addresses.SNAPSHOT_CHANGED.equals(f.getString("address")));
    assertEquals(2L, TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id"), "only the turn's own events");
  }
}
