package dev.pmm.hostile;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.HealthProbe;
import dev.pmm.support.RawHttp;
import dev.pmm.support.TestLedger;
import dev.pmm.model.FakeOpenAi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client cannot take more than its share: its turns a minute count across all its connections
 * and routes, the queue of turns has a bound, and a connection that closes takes its queued turns with it.
 */
@ExtendWith(VertxExtension.class)
class ClientLimitsTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
  }

  private void start(JsonObject overrides) {
    port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).mergeIn(overrides))).port();
  }

  @Test
  void turnsAreCountedPerClientAcrossConnectionsAndRoutes() throws Exception {
    start(new JsonObject().put(ConfigKeys.WEB_TURNS_PER_MINUTE, 3));
    try (RawWebSocket first = new RawWebSocket(port); RawWebSocket second = new RawWebSocket(port)) {
      first.nextJson("hello");
      second.nextJson("hello");
      chat(first, "a1");
      assertEquals("turn_done", first.nextJson("turn_done").getString("type"));
      chat(first, "a2");
      first.nextJson("turn_done");
      chat(second, "b1");
      second.nextJson("turn_done");

      RawHttp.Response rest = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"one more\"}", "Content-Type: application/json");
      assertEquals(429, rest.status(), rest.toString());
      assertEquals("rate_limited", rest.json().getString("error"));
      chat(second, "b2");
      JsonObject refused = second.nextJson("error");
      assertEquals("rate_limited", refused.getString("code"), refused.encode());
      try (RawWebSocket third = new RawWebSocket(port)) {
        third.nextJson("hello");
        chat(third, "c1");
        assertEquals("rate_limited", third.nextJson("error").getString("code"), "a new connection does not reset it");
      }
    }
    assertEquals(3, count("user_message"), "three turns a minute for this client, however it came");
  }

  @Test
  void theQueueIsBoundedAndAFullOneSaysBusy() throws Exception {
    start(new JsonObject().put(ConfigKeys.WEB_TURNS_PER_MINUTE, 0).put(ConfigKeys.TURN_QUEUE_MAX, 2)
        .put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 100));
    List<Future<?>> turns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      turns.add(vertx.eventBus().request(Addresses.TURN_SUBMIT, new JsonObject().put("text", "turn " + i)));
    }
    // One runs, two wait, two are refused: the queue is full while the first still answers.
    dev.pmm.support.TestLedger.eventually(() -> turns.stream().filter(Future::failed).count() == 2);
    for (Future<?> refused : turns.stream().filter(Future::failed).toList()) {
      ReplyException e = (ReplyException) refused.cause();
      assertEquals(429, e.failureCode());
      assertTrue(e.getMessage().startsWith("busy"), e.getMessage());
    }
    RawHttp.Response rest = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"and me\"}", "Content-Type: application/json");
    assertEquals(429, rest.status(), rest.toString());
    assertEquals("busy", rest.json().getString("error"));
    try (RawWebSocket socket = new RawWebSocket(port)) {
      socket.nextJson("hello");
      chat(socket, "me too");
      assertEquals("busy", socket.nextJson("error").getString("code"));
    }
    await(Future.join(turns).otherwiseEmpty());
    assertEquals(3, count("user_message"), "the three turns that were let in, and no other");
  }

  @Test
  void aClosedConnectionsQueuedTurnsAreDroppedUnwritten() throws Exception {
    // The model holds the first reply until the test lets it go: the turns behind it stay queued.
    FakeOpenAi model = await(FakeOpenAi.start(vertx));
    Promise<Void> release = Promise.promise();
    model.script((request, n) -> {
      var response = FakeOpenAi.streaming(request);
      List<String> reply = List.of(FakeOpenAi.role(), FakeOpenAi.token("Done."), FakeOpenAi.finish("stop"), FakeOpenAi.DONE);
      if (n == 1) {
        release.future().onComplete(v -> model.writeSlowly(response, reply, 1, true));
      } else {
        model.writeSlowly(response, reply, 1, true);
      }
    });
    start(new JsonObject().put(ConfigKeys.WEB_TURNS_PER_MINUTE, 0).put(ConfigKeys.MODEL_PROVIDER, "openai")
        .put(ConfigKeys.MODEL_OPENAI_BASE_URL, model.baseUrl()).put(ConfigKeys.MODEL_OPENAI_IDLE_TIMEOUT_MS, 120_000));
    HealthProbe probe = new HealthProbe(port);
    try (RawWebSocket leaving = new RawWebSocket(port)) {
      leaving.nextJson("hello");
      for (int i = 0; i < 5; i++) {
        chat(leaving, "queued " + i);
      }
      leaving.nextJson("turn_started");
      // A REST client that gives up while its turn waits.
      try (Socket rest = new Socket("127.0.0.1", port)) {
        byte[] body = "{\"text\":\"abandoned\"}".getBytes(StandardCharsets.UTF_8);
        OutputStream out = rest.getOutputStream();
        out.write(("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        TestLedger.eventually(() -> status().getInteger("queued") == 5);
      }
    }
    TestLedger.eventually(() -> status().getInteger("queued") == 0);
    vertx.runOnContext(v -> release.complete());
    RawHttp.Response next = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"next in line\"}", "Content-Type: application/json");
    assertEquals(200, next.status(), next.toString());
    probe.assertAnsweredWithinASecond();
    assertEquals(2, count("user_message"), "the turn that had started and the next client's; the dropped ones never reached the ledger");
    assertEquals(0, count("turn_aborted") + count("turn_failed"), "nothing is written for a dropped turn");
    assertEquals(2, model.requests.size(), "the model was asked for the two turns that ran, no more");
    await(model.close());
  }

  private JsonObject status() {
    return TestLedger.request(vertx, Addresses.TURN_STATUS, null);
  }

  private static void chat(RawWebSocket socket, String id) throws java.io.IOException {
    socket.sendText(new JsonObject().put("type", "chat").put("id", id).put("text", "hello " + id).encode());
  }

  private long count(String kind) {
    return TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("limit", 1000).put("kind", kind))
        .getJsonArray("events").size();
  }
}
