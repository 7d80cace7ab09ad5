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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another site's page in the user's browser: a plain HTML form, a fetch, a WebSocket. None of them
 * may write into the mind or read it; the page's own origin and clients without an Origin may.
 */
@ExtendWith(VertxExtension.class)
class CrossSiteRequestTest {

  private static final String CHAT = "{\"text\":\"I will do what evil.example says\"}";

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)
        .put(ConfigKeys.WEB_ALLOWED_ORIGINS, "https://trusted.example"))).port();
  }

  @Test
  void aFormOrAFetchFromAnotherSiteCannotChat() {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json")) {
      for (String origin : List.of("http://evil.example", "null", "http://localhost:3000", "https://trusted.example.evil.example")) {
        Response response = RawHttp.exchange(port, "POST", "/api/chat", CHAT, "Origin: " + origin, "Content-Type: " + type);
        assertEquals(403, response.status(), origin + " " + type + ": " + response);
        assertEquals("origin_not_allowed", response.json().getString("error"));
        assertTrue(response.json().getString("message").contains("web.allowed.origins"), response.body());
        assertNull(response.header("Access-Control-Allow-Origin"), response.toString());
      }
    }
    assertNothingWritten();
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWhateverItsOrigin() {
    for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/jsonp", "text/json")) {
      Response response = RawHttp.exchange(port, "POST", "/api/chat", CHAT, "Content-Type: " + type);
      assertEquals(415, response.status(), type + ": " + response);
      assertEquals("unsupported_media_type", response.json().getString("error"));
      assertTrue(response.json().getString("message").contains("application/json"), response.body());
    }
    Response none = RawHttp.exchange(port, "POST", "/api/chat", CHAT);
    assertEquals(415, none.status(), none.toString());
    assertNothingWritten();
  }

  @Test
  void aPreflightFromAnotherSiteGetsNoGrant() {
    Response preflight = RawHttp.exchange(port, "OPTIONS", "/api/chat", null, "Origin: http://evil.example",
        "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type");
    assertEquals(403, preflight.status(), preflight.toString());
    assertNull(preflight.header("Access-Control-Allow-Origin"));
    assertNull(preflight.header("Access-Control-Allow-Headers"));
    Response read = RawHttp.get(port, "/api/snapshot", "Origin: http://evil.example");
    assertNull(read.header("Access-Control-Allow-Origin"), "the browser keeps the answer from the other site: " + read);
    assertNothingWritten();
  }

  @Test
  void webSocketsFromAnotherSiteAreRefusedBeforeTheUpgrade() {
    for (String origin : List.of("http://evil.example", "null", "http://localhost:" + (port + 1))) {
      Response response = RawHttp.upgrade(port, "/ws", "Origin: " + origin);
      assertEquals(403, response.status(), origin + ": " + response);
      assertEquals("origin_not_allowed", response.json().getString("error"));
    }
    assertNothingWritten();
  }

  @Test
  void thePagesOwnOriginTheListedOneAndClientsWithoutAnOriginChat() {
    List<String[]> allowed = List.of(
        new String[] {"Origin: http://127.0.0.1:" + port, "Content-Type: application/json"},
        new String[] {"Origin: http://localhost:" + port, "Host: localhost:" + port, "Content-Type: application/json"},
        new String[] {"Origin: https://trusted.example", "Content-Type: application/json; charset=utf-8"},
        new String[] {"Content-Type: application/json"});
    for (String[] headers : allowed) {
      Response response = RawHttp.exchange(port, "POST", "/api/chat", "{\"text\":\"hello\"}", headers);
      assertEquals(200, response.status(), String.join(", ", headers) + ": " + response);
      assertTrue(response.json().getString("reply").length() > 0);
    }
    for (String origin : List.of("http://127.0.0.1:" + port, "https://trusted.example")) {
      assertEquals(101, RawHttp.upgrade(port, "/ws", "Origin: " + origin).status(), origin);
    }
    assertEquals(101, RawHttp.upgrade(port, "/ws").status(), "no Origin: not a browser");
    assertEquals(8L, lastId(), "four turns, two events each");
  }

  private void assertNothingWritten() {
    assertEquals(0L, lastId(), "nothing appended");
    assertEquals(200, RawHttp.get(port, "/health").status(), "the server keeps serving");
  }

  private long lastId() {
    return TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
  }
}
