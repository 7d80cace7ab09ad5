package dev.pmm.hostile;

import dev.pmm.PmmServer;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import dev.pmm.web.WebVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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

/** Bad parameters, bodies, content types and methods on every REST endpoint: a JSON error each, nothing appended. */
@ExtendWith(VertxExtension.class)
class RestHostileTest {

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
  private long lastId;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    port = web.port();
    // A fresh connection per request (see HttpApiTest).
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    for (int i = 0; i < 5; i++) {
      TestLedger.append(vertx, "user_message", "event " + i, new JsonObject());
    }
    lastId = Hostile.lastId(vertx);
  }

  private Reply send(HttpMethod method, String uri, String contentType, Buffer body) {
    // An idle timeout, so that a request the server never answers fails here naming itself.
    RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setHost("127.0.0.1").setURI(uri)
        .setIdleTimeout(30_000);
    if (contentType != null) {
      options.putHeader("content-type", contentType);
    }
    try {
      return OnContext.await(vertx, () -> client.request(options)
          .compose(req -> body == null ? req.send() : req.send(body))
          .compose(res -> res.body().map(b -> new Reply(res.statusCode(), res.getHeader("content-type"), b))));
    } catch (AssertionError e) {
      throw new AssertionError(method + " " + uri + " " + contentType + " (" + (body == null ? 0 : body.length())
          + " bytes): " + e.getMessage(), e);
    }
  }

  private Reply get(String uri) {
    return send(HttpMethod.GET, uri, null, null);
  }

  private Reply chat(String contentType, Buffer body) {
    return send(HttpMethod.POST, "/api/chat", contentType, body);
  }

  /** A JSON error with this status and a message naming {@code mentions}; then the server still serves. */
  private void assertJsonError(Reply reply, int status, String mentions, String what) {
    assertEquals(status, reply.status(), what + ": " + reply.body());
    assertTrue(reply.contentType() != null && reply.contentType().startsWith("application/json"), what + ": content type " + reply.contentType());
    JsonObject error = reply.json();
    assertTrue(error.getString("error") != null && !error.getString("error").isBlank(), what + ": " + error.encode());
    assertTrue(error.getString("message").contains(mentions), what + ": \"" + error.getString("message") + "\" names " + mentions);
    assertEquals(200, get("/api/snapshot").status(), what + ": the next good request works");
  }

  @Test
  void badEventParameters() {
    String[][] cases = {
        {"/api/events?after=-1", "after"},
        {"/api/events?after=abc", "after"},
        {"/api/events?after=1.5", "after"},
        {"/api/events?after=", "after"},
        {"/api/events?after=99999999999999999999999", "after"},
        {"/api/events?limit=0", "limit"},
        {"/api/events?limit=-3", "limit"},
        {"/api/events?limit=1001", "limit"},
        {"/api/events?limit=1e3", "limit"},
        {"/api/events?limit=%00", "limit"},
        {"/api/events?kind=", "kind"},
        {"/api/events?kind=UPPER", "kind"},
        {"/api/events?kind=" + "k".repeat(65), "kind"},
        {"/api/events?kind=a%0Ab", "kind"},
        {"/api/events?kind=%27%3B%20DROP%20TABLE%20events", "kind"},
        {"/api/events?before=0", "before"},
        {"/api/events?before=x&after=1", "before"},
    };
    for (String[] c : cases) {
      assertJsonError(get(c[0]), 400, c[1], c[0]);
    }
    // A percent sign that starts no escape: the parameters cannot be decoded at all.
    assertJsonError(get("/api/events?after=%ZZ"), 400, "", "an undecodable query");
    // Repeated and unknown parameters: the first counts, unknown ones are ignored.
    assertEquals(2, get("/api/events?limit=2&limit=5000&nonsense=1").json().getJsonArray("events").size());
    Hostile.assertLedger(vertx, lastId, "after bad event parameters");
  }

  @Test
  void badChatBodies() {
    Object[][] cases = {
        {"application/json", null, "text"},
        {"application/json", "", "text"},
        {"application/json", "not json", "text"},
        {"application/json", "{\"text\": \"unterminated", "text"},
        {"application/json", "[1, 2]", "text"},
        {"application/json", "null", "text"},
        {"application/json", "42", "text"},
        {"application/json", "\"text\"", "text"},
        {"application/json", "{}", "text"},
        {"application/json", "{\"text\": 5}", "text"},
        {"application/json", "{\"text\": null}", "text"},
        {"application/json", "{\"text\": [\"a\"]}", "text"},
        {"application/json", "{\"text\": \"\"}", "text"},
        {"application/json", "{\"text\": \"   \"}", "text"},
        {"application/json", "{\"text\": \"" + "x".repeat(16_001) + "\"}", "limit"},
        // Deeper than Jackson's 1000 levels, under the body limit.
        {"application/json", Hostile.nestedArrays(30_000), "text"},
        {"application/json", "{\"text\": " + Hostile.nestedArrays(30_000) + "}", "text"},
        {"application/json", "{\"text\": \"\\ud800\"}", "text"},
    };
    for (Object[] c : cases) {
      Buffer body = c[1] == null ? null : Buffer.buffer((String) c[1]);
      String what = "POST /api/chat " + c[0] + " " + (c[1] == null ? "(no body)" : ((String) c[1]).substring(0, Math.min(60, ((String) c[1]).length())));
      Reply reply = chat((String) c[0], body);
      assertJsonError(reply, 400, (String) c[2], what);
    }
    // Only JSON may be posted (no HTML form can send it): anything else is 415.
    Object[][] notJson = {
        {null, null},
        {null, "{\"text\": \"hello\"}"},
        {"application/xml", "<text>hello</text>"},
        {"multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--xyz--\r\n"},
        {"application/x-www-form-urlencoded", "{\"text\":\"hello\"}"},
    };
    for (Object[] c : notJson) {
      Reply reply = chat((String) c[0], c[1] == null ? null : Buffer.buffer((String) c[1]));
      assertJsonError(reply, 415, "application/json", "POST /api/chat as " + c[0]);
    }
    // Invalid UTF-8 in the body.
    assertJsonError(chat("application/json", Buffer.buffer(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'})),
        400, "UTF-8", "invalid UTF-8");
    Hostile.assertLedger(vertx, lastId, "after bad chat bodies");
  }

  @Test
  void hugeBodiesAre413() {
    for (int size : new int[] {64 * 1024 + 1, 1024 * 1024, 16 * 1024 * 1024}) {
      Buffer body = Buffer.buffer("{\"text\": \"" + "x".repeat(size) + "\"}");
      assertJsonError(chat("application/json", body), 413, "65536", "a body of " + size + " bytes");
    }
    assertJsonError(chat("application/json", Buffer.buffer(Hostile.nestedArrays(100_000))), 413, "65536", "100,000 nested levels");
    Hostile.assertLedger(vertx, lastId, "after huge bodies");
  }

  @Test
  void wrongMethodsAndPaths() {
    Object[][] cases = {
        {HttpMethod.GET, "/api/chat"},
        {HttpMethod.PUT, "/api/chat"},
        {HttpMethod.DELETE, "/api/chat"},
        {HttpMethod.POST, "/api/snapshot"},
        {HttpMethod.DELETE, "/api/events"},
        {HttpMethod.PATCH, "/api/events"},
        {HttpMethod.POST, "/api/verify"},
        {HttpMethod.GET, "/api/"},
        {HttpMethod.GET, "/api/../api/nothing"},
        {HttpMethod.GET, "/api/events/1"},
    };
    for (Object[] c : cases) {
      Reply reply = send((HttpMethod) c[0], (String) c[1], "application/json", Buffer.buffer("{\"text\":\"hi\"}"));
      assertTrue(reply.status() == 404 || reply.status() == 405, c[0] + " " + c[1] + ": " + reply.status());
      assertJsonError(reply, reply.status(), "", c[0] + " " + c[1]);
    }
    Hostile.assertLedger(vertx, lastId, "after wrong methods");
  }

  @Test
  void protocolLevelAbuse() {
    // An over-long request line and over-large headers are refused by the HTTP codec itself (not JSON).
    Reply longUri = get("/api/events?kind=" + "a".repeat(10_000));
    assertTrue(longUri.status() == 414 || longUri.status() == 400, "long URI: " + longUri.status());
    RequestOptions bigHeader = new RequestOptions().setMethod(HttpMethod.GET).setPort(port).setHost("127.0.0.1")
        .setURI("/api/snapshot").putHeader("X-Junk", "j".repeat(20_000));
    int status = OnContext.await(vertx, () -> client.request(bigHeader).compose(req -> req.send()).map(res -> res.statusCode()));
    assertTrue(status == 431 || status == 400, "big header: " + status);
    assertEquals(200, get("/api/snapshot").status());
    Hostile.assertLedger(vertx, lastId, "after protocol abuse");
  }

  @Test
  void onlyAJsonContentTypeChats() {
    // curl -d sends application/x-www-form-urlencoded, as an HTML form does: refused, JSON or not.
    assertJsonError(chat("application/x-www-form-urlencoded", Buffer.buffer("{\"text\":\"hello\"}")), 415,
        "application/json", "a form-encoded JSON body");
    Reply reply = chat("application/json", Buffer.buffer("{\"text\":\"hello\"}"));
    assertEquals(200, reply.status(), reply.body().toString());
    assertEquals(2, reply.json().getJsonArray("event_ids").size());
    Hostile.assertLedger(vertx, lastId + 2, "after one good chat");
  }
}
