package dev.pmm.web;

import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.OnContext;
import dev.pmm.support.RawHttp;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Loopback by default and the token: where it is needed, how it is given, and that it is never logged. */
@ExtendWith(VertxExtension.class)
class SecurityTest {

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private HttpClient client;
  private WebSocketClient wsClient;

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void listeningBeyondLoopbackWithoutATokenIsRefused(Vertx vertx) {
    try {
      await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.HTTP_HOST, "0.0.0.0")));
      fail("a server open to the network without a token must not start");
    } catch (AssertionError e) {
      assertTrue(e.getMessage().contains("PMM_TOKEN"), e.getMessage());
    }
  }

  @Test
  void theApiTakesTheTokenAsHeaderOrParameter(Vertx vertx) {
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.AUTH_TOKEN, "s3cret")));
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    assertEquals(401, status(web.port(), "/api/snapshot", null));
    assertEquals(401, status(web.port(), "/api/snapshot?token=wrong", null));
    assertEquals(200, status(web.port(), "/api/snapshot?token=s3cret", null));
    assertEquals(200, status(web.port(), "/api/snapshot", "Bearer s3cret"));
    assertEquals(401, status(web.port(), "/eventbus/info", null));
    assertEquals(200, status(web.port(), "/", null), "the page itself is public; it asks for the token");
  }

  @Test
  void webSocketsFromAnotherOriginAreRefused(Vertx vertx) {
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)
        .put(ConfigKeys.WEB_ALLOWED_ORIGINS, "http://trusted.example")));
    wsClient = vertx.createWebSocketClient();
    WebSocketConnectOptions evil = new WebSocketConnectOptions().setPort(web.port()).setHost("127.0.0.1").setURI("/ws")
        .addHeader("Origin", "http://evil.example");
    try {
      OnContext.await(vertx, () -> wsClient.connect(evil));
      fail("a page from another origin must not open the chat");
    } catch (AssertionError e) {
      assertTrue(e.getMessage().contains("403"), e.getMessage());
    }
    for (String origin : new String[] {"http://trusted.example", "http://127.0.0.1:" + web.port()}) {
      OnContext.await(vertx, () -> wsClient.connect(new WebSocketConnectOptions().setPort(web.port()).setHost("127.0.0.1")
          .setURI("/ws").addHeader("Origin", origin)).compose(ws -> ws.close()));
    }
  }

  @Test
  void healthAndMetricsAreOpenOnLoopbackEvenWithAToken(Vertx vertx) {
    int port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.AUTH_TOKEN, "s3cret"))).port();
    assertEquals(200, RawHttp.get(port, "/health").status());
    assertEquals(200, RawHttp.get(port, "/metrics").status());
  }

  @Test
  void beyondLoopbackHealthAndMetricsNeedTheToken(Vertx vertx) {
    int port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.HTTP_HOST, "0.0.0.0")
        .put(ConfigKeys.AUTH_TOKEN, "s3cret"))).port();
    for (String path : new String[] {"/health", "/metrics"}) {
      RawHttp.Response refused = RawHttp.get(port, path);
      assertEquals(401, refused.status(), path + ": " + refused);
      assertEquals("unauthorized", refused.json().getString("error"));
      assertEquals(200, RawHttp.get(port, path, "Authorization: Bearer s3cret").status(), path);
      assertEquals(200, RawHttp.get(port, path + "?token=s3cret").status(), path);
    }
  }

  @Test
  void healthAndMetricsShowNoPathOnTheServer(Vertx vertx) {
    int port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir))).port();
    String where = dataDir.toAbsolutePath().getParent().toString();
    for (String path : new String[] {"/health", "/metrics"}) {
      RawHttp.Response response = RawHttp.get(port, path);
      assertEquals(200, response.status(), path);
      assertFalse(response.body().contains(where), path + " shows " + where + ": " + response.body());
    }
  }

  @Test
  void aTokenInTheQueryStringIsNeverLogged(Vertx vertx) {
    int port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.AUTH_TOKEN, "s3cret-in-url"))).port();
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      for (String token : new String[] {"s3cret-in-url", "wrong-guess-in-url"}) {
        RawHttp.get(port, "/api/snapshot?token=" + token);
        RawHttp.get(port, "/api/events?limit=nope&token=" + token);
        RawHttp.get(port, "/api/%zz?token=" + token);
        RawHttp.get(port, "/api/nothing-here?token=" + token);
        RawHttp.exchange(port, "POST", "/api/chat?token=" + token, "{not json", "Content-Type: application/json");
        RawHttp.exchange(port, "POST", "/api/chat?token=" + token, "{\"text\":\"hello\"}", "Content-Type: application/json");
        RawHttp.upgrade(port, "/ws?token=" + token);
        RawHttp.get(port, "/eventbus/info?token=" + token);
        RawHttp.get(port, "/eventbus/123/abc/htmlfile?token=" + token);
      }
    } finally {
      root.removeHandler(capture);
    }
    SimpleFormatter format = new SimpleFormatter();
    for (LogRecord record : records) {
      String line = format.format(record);
      assertFalse(line.contains("in-url"), "a token reached the log: " + line);
    }
  }

  private int status(int port, String uri, String authorization) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setPort(port).setHost("127.0.0.1").setURI(uri);
    if (authorization != null) {
      options.addHeader("Authorization", authorization);
    }
    return OnContext.await(vertx, () -> client.request(options).compose(req -> req.send()).map(res -> res.statusCode()));
  }
}
