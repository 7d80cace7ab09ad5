package dev.pmm.web;

import dev.pmm.PmmServer;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST contract of ARCHITECTURE.md against a real HTTP server. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {

  record Reply(int status, String contentType, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    port = web.port();
    // A fresh connection per request. The stalls once put down to keep-alive came from starting
    // requests on the test's thread (OnContext).
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    for (int i = 0; i < 30; i++) {
      TestLedger.append(vertx, i % 3 == 0 ? "autonomy_tick" : "user_message", "event " + (i + 1), new JsonObject());
    }
    TestLedger.append(vertx, "identity_adopt", "Echo", new JsonObject().put("name", "Echo").put("confidence", 0.95));
  }

  private Reply get(String uri) {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send())
        .compose(res -> res.body().map(body -> new Reply(res.statusCode(), res.getHeader("content-type"), body))));
  }

  @Test
  void snapshotHasTheContractShape() {
    Reply reply = get("/api/snapshot");
    assertEquals(200, reply.status());
    JsonObject snapshot = reply.json();
    assertEquals(31L, snapshot.getLong("last_event_id"));
    assertEquals(31L, snapshot.getLong("events"));
    assertEquals(10L, snapshot.getLong("ticks"));
    assertEquals("Echo", snapshot.getJsonObject("identity").getString("name"));
    assertEquals(0.5, snapshot.getJsonObject("identity").getJsonObject("traits").getDouble("openness"));
    assertEquals(5, snapshot.getJsonObject("identity").getJsonObject("traits").size());
    JsonObject commitments = snapshot.getJsonObject("commitments");
    assertTrue(commitments.getJsonArray("open").isEmpty());
    assertEquals(0L, commitments.getLong("closed"));
    JsonObject metrics = snapshot.getJsonObject("metrics");
    assertTrue(metrics.containsKey("ias") && metrics.containsKey("gas"));
    assertEquals("S0", metrics.getString("stage"));
  }

  @Test
  void eventsPageInIdOrderAndFilterByKind() {
    JsonObject page = get("/api/events?after=5&limit=10").json();
    JsonArray events = page.getJsonArray("events");
    assertEquals(10, events.size());
    assertEquals(6L, events.getJsonObject(0).getLong("id"));
    assertEquals(15L, page.getLong("next_after"));
    JsonObject ticks = get("/api/events?kind=autonomy_tick&limit=100").json();
    assertEquals(10, ticks.getJsonArray("events").size());
    ticks.getJsonArray("events").forEach(e -> assertEquals("autonomy_tick", ((JsonObject) e).getString("kind")));
    JsonObject newest = get("/api/events?before=31&limit=2").json();
    assertEquals(30L, newest.getJsonArray("events").getJsonObject(0).getLong("id"), "before= pages newest first");
    assertTrue(get("/api/events?after=1000").json().getJsonArray("events").isEmpty());
  }

  @Test
  void badParametersGetA400ThatSaysWhy() {
    String[][] cases = {
        {"/api/events?after=-1", "after"},
        {"/api/events?after=abc", "after"},
        {"/api/events?limit=0", "limit"},
        {"/api/events?limit=5000", "limit"},
        {"/api/events?kind=DROP%20TABLE", "kind"},
        {"/api/events?before=0", "before"},
    };
    for (String[] c : cases) {
      Reply reply = get(c[0]);
      assertEquals(400, reply.status(), c[0]);
      assertEquals("bad_request", reply.json().getString("error"));
      assertTrue(reply.json().getString("message").contains(c[1]), reply.json().getString("message"));
    }
    assertEquals(404, get("/api/nothing").status());
    assertEquals(200, get("/api/snapshot").status(), "the server goes on serving");
  }

  @Test
  void verifyHealthAndMetrics() {
    JsonObject verify = get("/api/verify").json();
    assertEquals(true, verify.getBoolean("ok"));
    assertEquals(31L, verify.getLong("events"));
    assertEquals("pmm-2025", verify.getString("hash_rule"));
    assertTrue(verify.getJsonArray("breaks").isEmpty());

    Reply health = get("/health");
    assertEquals(200, health.status());
    assertEquals("UP", health.json().getString("status"));

    Reply metrics = get("/metrics");
    assertTrue(metrics.contentType().startsWith("text/plain"));
    String text = metrics.body().toString();
    assertTrue(text.contains("pmm_ledger_appends_total 31"), text);
    assertTrue(text.contains("pmm_ledger_read_calls_total"), text);
    assertTrue(text.contains("pmm_projection_events_folded_total 31"), text);
  }

  @Test
  void thePageIsServed() {
    Reply page = get("/");
    assertEquals(200, page.status());
    assertTrue(page.body().toString().contains("PMM Server"));
  }
}
