package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The /ws protocol of ARCHITECTURE.md, with the Vert.x WebSocket client against a real server. */
@ExtendWith(VertxExtension.class)
class WebSocketProtocolTest {

  /** One connection and every frame it received, in order. */
  static final class Client {
    final WebSocket ws;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();

    Client(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    }

    void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    JsonObject await(Predicate<JsonObject> match) {
      TestLedger.eventually(() -> frames.stream().anyMatch(match));
      return frames.stream().filter(match).findFirst().orElseThrow();
    }

    JsonObject awaitType(String type, Object id) {
      return await(f -> type.equals(f.getString("type")) && (id == null || id.equals(f.getValue("id"))));
    }
  }

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private WebSocketClient wsClient;
  private int port;

  private void start(Vertx vertx, JsonObject overrides) {
    this.vertx = vertx;
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).mergeIn(overrides)));
    port = web.port();
    wsClient = vertx.createWebSocketClient();
  }

  /** The handler is set on the event loop as the connection completes, so no early frame is missed. */
  private Client connect() {
    return connect(new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws"));
  }

  private Client connect(WebSocketConnectOptions options) {
    return OnContext.await(vertx, () -> wsClient.connect(options).map(Client::new));
  }

  @Test
  void helloThenAStreamedTurn(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 1));
    Client client = connect();
    JsonObject hello = client.awaitType("hello", null);
    assertEquals(0L, hello.getJsonObject("snapshot").getLong("events"));
    assertTrue(hello.getJsonArray("conversation").isEmpty());

    client.send(new JsonObject().put("type", "chat").put("id", "m1").put("text", "Tell me about Paris"));
    JsonObject started = client.awaitType("turn_started", "m1");
    JsonObject done = client.awaitType("turn_done", "m1");
    assertEquals(started.getString("turn"), done.getString("turn"));
    StringBuilder tokens = new StringBuilder();
    client.frames.stream().filter(f -> "token".equals(f.getString("type"))).forEach(f -> tokens.append(f.getString("text")));
    assertEquals(done.getString("reply"), tokens.toString(), "the tokens make up the reply");
    assertTrue(client.frames.indexOf(started) < client.frames.indexOf(done));
    assertEquals(2, done.getJsonArray("event_ids").size());
    client.await(f -> "snapshot".equals(f.getString("type")) && f.getJsonObject("snapshot").getLong("events") == 2);

    Client second = connect();
    JsonObject again = second.awaitType("hello", null);
    assertEquals(2, again.getJsonArray("conversation").size(), "a new page sees the conversation so far");
  }

  @Test
  void stopHistoryAndTicks(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 40));
    Client client = connect();
    client.awaitType("hello", null);
    client.send(new JsonObject().put("type", "chat").put("id", 7).put("text", "Tell me a long story about the sea"));
    String turn = client.awaitType("turn_started", 7).getString("turn");
    client.await(f -> "token".equals(f.getString("type")));
    client.send(new JsonObject().put("type", "stop").put("turn", turn));
    JsonObject error = client.awaitType("error", 7);
    assertEquals("turn_aborted", error.getString("code"));

    for (int i = 0; i < 3; i++) {
      TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", "note " + i));
    }
    // ids: 1 user, 2 turn_aborted, then 3..8 three user/assistant pairs
    client.send(new JsonObject().put("type", "history").put("id", "h").put("before", 7).put("limit", 3));
    JsonObject history = client.awaitType("history", "h");
    List<Long> ids = new ArrayList<>();
    history.getJsonArray("events").forEach(e -> ids.add(((JsonObject) e).getLong("id")));
    assertEquals(List.of(4L, 5L, 6L), ids);

    TestLedger.request(vertx, Addresses.TICK_NOW, null);
    JsonObject tick = client.awaitType("tick", null);
    assertEquals(1L, tick.getLong("tick"));
    client.await(f -> "snapshot".equals(f.getString("type")) && f.getJsonObject("snapshot").getLong("ticks") == 1);
  }

  @Test
  void everyErrorCodeAndTheConnectionStaysOpen(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.WEB_TURNS_PER_MINUTE, 2).put(ConfigKeys.WEB_WS_MAX_FRAME_BYTES, 1024));
    Client client = connect();
    client.awaitType("hello", null);
    Object[][] cases = {
        {"{not json", "bad_request"},
        {"[1,2]", "bad_request"},
        {new JsonObject().put("type", "dance").put("id", "a").encode(), "bad_request"},
        {new JsonObject().put("id", "b").encode(), "bad_request"},
        {new JsonObject().put("type", "chat").put("id", "c").encode(), "bad_request"},
        {new JsonObject().put("type", "chat").put("id", "d").put("text", 5).encode(), "bad_request"},
        {new JsonObject().put("type", "stop").put("id", "e").put("turn", "nobody's").encode(), "bad_request"},
        {new JsonObject().put("type", "history").put("id", "f").put("limit", "many").encode(), "bad_request"},
        {new JsonObject().put("type", "chat").put("id", "g").put("text", "x".repeat(2000)).encode(), "too_large"},
    };
    for (Object[] c : cases) {
      int before = client.frames.size();
      client.ws.writeTextMessage((String) c[0]);
      JsonObject error = client.await(f -> client.frames.indexOf(f) >= before && "error".equals(f.getString("type")));
      assertEquals(c[1], error.getString("code"), (String) c[0]);
      assertTrue(error.getString("message").length() > 10, error.encode());
    }
    client.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
    client.await(f -> "error".equals(f.getString("type")) && f.getString("message").contains("binary"));

    client.send(new JsonObject().put("type", "chat").put("id", "r1").put("text", "one"));
    client.send(new JsonObject().put("type", "chat").put("id", "r2").put("text", "two"));
    client.send(new JsonObject().put("type", "chat").put("id", "r3").put("text", "three"));
    assertEquals("rate_limited", client.awaitType("error", "r3").getString("code"));
    client.awaitType("turn_done", "r2");
    assertEquals(4L, TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id"),
        "only the two accepted turns reached the ledger");
  }

  @Test
  void aTokenIsRequiredWhenConfigured(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.AUTH_TOKEN, "s3cret"));
    try {
      connect();
      fail("a connection without the token is refused");
    } catch (AssertionError e) {
      assertTrue(String.valueOf(e.getMessage()).contains("401"), e.getMessage());
    }
    Client allowed = connect(new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws?token=s3cret"));
    allowed.awaitType("hello", null);
  }

  @Test
  void fiftyClientsFiveTurnsEach(Vertx vertx) {
    // All 250 turns wait at once: more than turn.queue.max lets wait by default.
    start(vertx, new JsonObject().put(ConfigKeys.TURN_QUEUE_MAX, 250));
    List<Client> clients = new ArrayList<>();
    for (int c = 0; c < 50; c++) {
      Client client = connect();
      client.awaitType("hello", null);
      clients.add(client);
    }
    for (int turn = 0; turn < 5; turn++) {
      for (int c = 0; c < 50; c++) {
        clients.get(c).send(new JsonObject().put("type", "chat").put("id", "c" + c + "-t" + turn).put("text", "client " + c + " turn " + turn));
      }
    }
    for (int c = 0; c < 50; c++) {
      Client client = clients.get(c);
      for (int turn = 0; turn < 5; turn++) {
        JsonObject done = client.awaitType("turn_done", "c" + c + "-t" + turn);
        assertTrue(done.getString("reply").length() > 0);
      }
      String mine = "c" + c + "-";
      assertTrue(client.frames.stream().filter(f -> f.containsKey("id") && f.getValue("id") != null)
          .allMatch(f -> String.valueOf(f.getValue("id")).startsWith(mine)), "client " + c + " saw only its own turns");
    }
    long users = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("kind", "user_message").put("limit", 1000))
        .getJsonArray("events").size();
    assertEquals(250, users);
  }
}
