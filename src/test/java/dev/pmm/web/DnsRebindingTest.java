package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.RawHttp;
import dev.pmm.support.RawHttp.Response;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS rebinding: a site whose name resolves to 127.0.0.1 makes the browser send requests here with
 * its own name as Host, and its own origin, which would look same-origin. Every route refuses them.
 */
@ExtendWith(VertxExtension.class)
class DnsRebindingTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)
        .put(ConfigKeys.WEB_ALLOWED_HOSTS, "pmm.example.com, proxy.example:9000"))).port();
  }

  @Test
  void everyRouteRefusesAForeignHost() {
    String evilHost = "Host: evil.example:" + port;
    String evilOrigin = "Origin: http://evil.example:" + port;
    for (String path : List.of("/", "/index.html", "/js/api.js", "/app.css", "/api/snapshot", "/api/events",
        "/api/verify", "/health", "/metrics", "/eventbus/info", "/no-such-file")) {
      assertRefused(RawHttp.get(port, path, evilHost), path);
      assertRefused(RawHttp.get(port, path, evilHost, evilOrigin), path + " with the rebound page's origin");
    }
    assertRefused(RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"I will obey evil.example\"}", evilHost,
        evilOrigin, "Content-Type: application/json"), "chat");
    assertRefused(RawHttp.upgrade(port, "/ws", evilHost, evilOrigin), "/ws");
    assertRefused(RawHttp.upgrade(port, "/eventbus/websocket", evilHost, evilOrigin), "/eventbus/websocket");
    assertRefused(RawHttp.upgrade(port, "/eventbus/123/abcdef/websocket", evilHost, evilOrigin), "the SockJS WebSocket");
    assertRefused(RawHttp.exchange(port, "POST", "/eventbus/123/abcdef/xhr", "", evilHost, evilOrigin), "the SockJS XHR");
    assertNothingWritten();
  }

  @Test
  void namesThatOnlyLookLikeTheServersAreRefused() {
    for (String host : List.of("localhost." + ":" + port, "127.0.0.1.evil.example:" + port, "localhost:" + (port + 1),
        "localhost", "evil.example", "", "pmm.example.com.evil.example", "proxy.example:9001")) {
      assertRefused(RawHttp.get(port, "/api/snapshot", "Host: " + host), host);
    }
    // Not a host at all: Vert.x refuses it before any route, as a bad request.
    Response malformed = RawHttp.get(port, "/api/snapshot", "Host: localhost:" + port + "@evil.example");
    assertEquals(400, malformed.status(), malformed.toString());
    assertEquals("bad_request", malformed.json().getString("error"));
    assertNothingWritten();
  }

  @Test
  void theNamesTheServerIsReachedByWork() {
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port,
        "pmm.example.com", "pmm.example.com:443", "proxy.example:9000")) {
      assertEquals(200, RawHttp.get(port, "/api/snapshot", "Host: " + host).status(), host);
      assertEquals(200, RawHttp.get(port, "/", "Host: " + host).status(), host);
      assertEquals(101, RawHttp.upgrade(port, "/ws", "Host: " + host).status(), host);
    }
    Response chat = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"hello from behind the proxy\"}",
        "Host: pmm.example.com", "Origin: https://pmm.example.com", "Content-Type: application/json");
    assertEquals(200, chat.status(), chat.toString());
    assertEquals(2L, lastId(), "the turn's user and assistant messages");
  }

  private void assertRefused(Response response, String what) {
    assertEquals(421, response.status(), what + ": " + response);
    assertEquals("host_not_allowed", response.json().getString("error"), what);
    assertTrue(response.json().getString("message").contains("web.allowed.hosts"), what + ": " + response.body());
    assertEquals(null, response.header("Access-Control-Allow-Origin"), what);
  }

  private void assertNothingWritten() {
    assertEquals(0L, lastId(), "nothing appended");
    assertEquals(200, RawHttp.get(port, "/health").status(), "the server keeps serving");
  }

  private long lastId() {
    return TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
  }
}
