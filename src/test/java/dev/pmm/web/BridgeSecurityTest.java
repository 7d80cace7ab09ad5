package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.model.FakeOpenAi;
import dev.pmm.support.OnContext;
import dev.pmm.support.RawHttp;
import dev.pmm.support.RawHttp.Response;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SockJS bridge at /eventbus under the rules of /ws: Origin at every transport, the token, the
 * rate of turns; a socket stops only its own turns, and a turn may outlast the bridge's default
 * 30 s reply timeout.
 */
@ExtendWith(VertxExtension.class)
class BridgeSecurityTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private int port;
  private WebSocketClient wsClient;

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
    wsClient = vertx.createWebSocketClient();
  }

  private void start(JsonObject config) {
    port = await(PmmServer.deploy(vertx, config)).port();
  }

  @Test
  void everyTransportRefusesAnotherSitesPage() {
    start(TestLedger.config(dataDir));
    String evil = "Origin: http://evil.example";
    List<Response> refused = new ArrayList<>();
    refused.add(RawHttp.get(port, "/eventbus/info", evil));
    refused.add(RawHttp.exchange(port, "OPTIONS", "/eventbus/info", null, evil, "Access-Control-Request-Method: GET"));
    refused.add(RawHttp.exchange(port, "POST", "/eventbus/123/session1/xhr", "", evil));
    refused.add(RawHttp.exchange(port, "POST", "/eventbus/123/session1/xhr_streaming", "", evil));
    refused.add(RawHttp.exchange(port, "POST", "/eventbus/123/session1/xhr_send", submitFrame("r1"), evil,
        "Content-Type: text/plain"));
    refused.add(RawHttp.get(port, "/eventbus/123/session1/eventsource", evil));
    refused.add(RawHttp.get(port, "/eventbus/123/session1/htmlfile?c=callback", evil));
    refused.add(RawHttp.get(port, "/eventbus/123/session1/jsonp?c=callback", evil));
    refused.add(RawHttp.upgrade(port, "/eventbus/123/session1/websocket", evil));
    refused.add(RawHttp.upgrade(port, "/eventbus/websocket", evil));
    for (Response response : refused) {
      assertEquals(403, response.status(), response.toString());
      assertEquals("origin_not_allowed", response.json().getString("error"), response.toString());
      assertNull(response.header("Access-Control-Allow-Origin"), response.toString());
    }
    assertEquals(0L, lastId(), "nothing appended");
  }

  @Test
  void noResponseGrantsAnotherOrigin() {
    start(TestLedger.config(dataDir));
    Response own = RawHttp.get(port, "/eventbus/info", "Origin: http://127.0.0.1:" + port);
    assertEquals(200, own.status(), own.toString());
    assertEquals("http://127.0.0.1:" + port, own.header("Access-Control-Allow-Origin"), "the page's own origin");
    Response none = RawHttp.get(port, "/eventbus/info");
    assertEquals(200, none.status(), none.toString());
    assertNull(none.header("Access-Control-Allow-Origin"), "SockJS's '*' for a client without an Origin: " + none);
    Response session = RawHttp.exchange(port, "POST", "/eventbus/123/session2/xhr", "", "Origin: http://127.0.0.1:" + port);
    assertEquals(200, session.status(), session.toString());
    assertEquals("o", session.body().strip(), "the XHR transport opens a session for the page");
  }

  @Test
  void theBridgeNeedsTheTokenAtEveryTransport() {
    start(TestLedger.config(dataDir).put(ConfigKeys.AUTH_TOKEN, "s3cret"));
    for (Response response : List.of(RawHttp.get(port, "/eventbus/info"),
        RawHttp.exchange(port, "POST", "/eventbus/123/session3/xhr", ""),
        RawHttp.upgrade(port, "/eventbus/websocket"), RawHttp.upgrade(port, "/eventbus/123/session3/websocket"))) {
      assertEquals(401, response.status(), response.toString());
      assertEquals("unauthorized", response.json().getString("error"));
    }
    assertEquals(200, RawHttp.get(port, "/eventbus/info?token=s3cret").status());
    assertEquals(101, RawHttp.upgrade(port, "/eventbus/websocket", "Authorization: Bearer s3cret").status());
  }

  @Test
  void bridgeTurnsCountAgainstTheClientsRate() {
    start(TestLedger.config(dataDir).put(ConfigKeys.WEB_TURNS_PER_MINUTE, 3));
    BridgeSocket first = connect();
    for (int i = 1; i <= 3; i++) {
      first.send(Addresses.TURN_SUBMIT, new JsonObject().put("text", "hello " + i), "r" + i);
    }
    assertTrue(first.await(f -> "r1".equals(f.getString("address"))).getJsonObject("body").containsKey("reply"));
    assertTrue(first.await(f -> "r2".equals(f.getString("address"))).getJsonObject("body").containsKey("reply"));
    assertTrue(first.await(f -> "r3".equals(f.getString("address"))).getJsonObject("body").containsKey("reply"));
    first.send(Addresses.TURN_SUBMIT, new JsonObject().put("text", "hello 4"), "r4");
    JsonObject limited = first.await(f -> "r4".equals(f.getString("address")));
    assertEquals("err", limited.getString("type"), limited.encode());
    assertEquals(429, limited.getInteger("failureCode"));
    assertTrue(limited.getString("message").startsWith("rate_limited"), limited.encode());

    BridgeSocket second = connect();
    second.send(Addresses.TURN_SUBMIT, new JsonObject().put("text", "hello from another connection"), "s1");
    JsonObject alsoLimited = second.await(f -> "s1".equals(f.getString("address")));
    assertEquals(429, alsoLimited.getInteger("failureCode"), "the same client on a new connection: " + alsoLimited.encode());
    RawHttp.Response rest = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"and over REST\"}",
        "Content-Type: application/json");
    assertEquals(429, rest.status(), "and over REST: " + rest);
    assertEquals(3, userMessages(), "three turns a minute for this client, whichever way it came");
  }

  @Test
  void aSocketSeesOnlyItsOwnClientIdsAndStopsOnlyItsOwnTurns() {
    start(TestLedger.config(dataDir).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 200));
    BridgeSocket mine = connect();
    BridgeSocket other = connect();
    for (BridgeSocket socket : List.of(mine, other)) {
      for (String address : List.of(Addresses.TURN_STARTED, Addresses.TURN_STREAM, Addresses.TURN_ENDED)) {
        socket.register(address);
      }
    }
    // Registration is not acknowledged: a snapshot request answered means the registrations above are in.
    mine.send(Addresses.SNAPSHOT_GET, new JsonObject(), "ready");
    other.send(Addresses.SNAPSHOT_GET, new JsonObject(), "ready");
    mine.await(f -> "ready".equals(f.getString("address")));
    other.await(f -> "ready".equals(f.getString("address")));

    mine.send(Addresses.TURN_SUBMIT, new JsonObject().put("text", "Tell me a long story about the sea").put("id", "mine-1"), "done");
    JsonObject started = mine.await(f -> Addresses.TURN_STARTED.equals(f.getString("address"))).getJsonObject("body");
    assertEquals("mine-1", started.getString("id"), "the id this socket chose: " + started.encode());
    String turn = started.getString("turn");
    JsonObject seenByOther = other.await(f -> Addresses.TURN_STARTED.equals(f.getString("address"))).getJsonObject("body");
    assertEquals(turn, seenByOther.getString("turn"));
    assertFalse(seenByOther.containsKey("id"), "another socket's id is not shown: " + seenByOther.encode());
    mine.await(f -> Addresses.TURN_STREAM.equals(f.getString("address")));

    other.send(Addresses.TURN_CANCEL, new JsonObject().put("turn", turn), "cancel-other");
    JsonObject refused = other.await(f -> "cancel-other".equals(f.getString("address")));
    assertEquals(403, refused.getInteger("failureCode"), refused.encode());
    assertTrue(refused.getString("message").startsWith("forbidden"), refused.encode());

    mine.send(Addresses.TURN_CANCEL, new JsonObject().put("turn", turn), "cancel-mine");
    assertTrue(mine.await(f -> "cancel-mine".equals(f.getString("address"))).getJsonObject("body").getBoolean("cancelled"));
    JsonObject ended = mine.await(f -> Addresses.TURN_ENDED.equals(f.getString("address"))).getJsonObject("body");
    assertEquals("turn_aborted", ended.getString("kind"));
    assertEquals("mine-1", ended.getString("id"));
    JsonObject failed = mine.await(f -> "done".equals(f.getString("address")));
    assertEquals(499, failed.getInteger("failureCode"), "the submission ends as stopped: " + failed.encode());
  }

  @Test
  void aTurnLongerThanTheBridgesDefaultReplyTimeoutGetsItsReply() {
    FakeOpenAi fake = await(FakeOpenAi.start(vertx));
    // One token, 31 s of thinking, the rest: longer than SockJS's default 30 s reply timeout.
    fake.script((request, n) -> fake.writeSlowly(FakeOpenAi.streaming(request), List.of(FakeOpenAi.role(),
        FakeOpenAi.token("Still "), FakeOpenAi.token("here."), FakeOpenAi.finish("stop"), FakeOpenAi.DONE), 7_800, true));
    start(TestLedger.config(dataDir).put(ConfigKeys.MODEL_PROVIDER, "openai")
        .put(ConfigKeys.MODEL_OPENAI_BASE_URL, fake.baseUrl()).put(ConfigKeys.MODEL_OPENAI_IDLE_TIMEOUT_MS, 20_000));
    BridgeSocket socket = connect();
    long started = System.nanoTime();
    socket.send(Addresses.TURN_SUBMIT, new JsonObject().put("text", "take your time"), "slow");
    JsonObject reply = socket.await(f -> "slow".equals(f.getString("address")));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("rec", reply.getString("type"), reply.encode());
    assertEquals("Still here.", reply.getJsonObject("body").getString("reply"));
    assertTrue(tookMs > 30_000, "the reply came after the bridge's default timeout would have cut it off: " + tookMs + " ms");
    await(fake.close());
  }

  private static String submitFrame(String replyAddress) {
    return new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "send").put("address", Addresses.TURN_SUBMIT)
        .put("replyAddress", replyAddress).put("body", new JsonObject().put("text", "I will obey")).encode()).encode();
  }

  private long lastId() {
    return TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
  }

  private long userMessages() {
    return TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("limit", 100)
        .put("kind", "user_message")).getJsonArray("events").size();
  }

  private BridgeSocket connect() {
    BridgeSocket socket = new BridgeSocket();
    socket.ws = OnContext.await(vertx, () -> wsClient.connect(new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI("/eventbus/websocket").addHeader("Origin", "http://127.0.0.1:" + port)).map(ws -> {
          // The bridge writes its frames as binary messages: read every message, whatever its type.
          ws.handler(buffer -> socket.frames.add(buffer.toJsonObject()));
          // As vertx-eventbus.js does: without a ping every 10 s the bridge closes the socket as idle.
          long pinger = vertx.setPeriodic(5_000, t -> ws.writeTextMessage("{\"type\":\"ping\"}"));
          ws.closeHandler(v -> vertx.cancelTimer(pinger));
          return ws;
        }));
    return socket;
  }

  /** One client of the bridge's raw WebSocket endpoint and every frame it received. */
  private static final class BridgeSocket {
    WebSocket ws;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();

    void send(String address, JsonObject body, String replyAddress) {
      ws.writeTextMessage(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
          .put("body", body).encode());
    }

    void register(String address) {
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
    }

    JsonObject await(Predicate<JsonObject> match) {
      TestLedger.eventually(() -> frames.stream().anyMatch(match));
      return frames.stream().filter(match).findFirst().orElseThrow();
    }
  }
}
