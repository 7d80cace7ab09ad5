package dev.pmm.model;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that speaks the chat-completions protocol as each test scripts
 * it, and remembers what it saw: the requests and when each connection closed.
 */
public final class FakeOpenAi {

  /** What the server does with its n-th request (n from 1). */
  public interface Script {
    void answer(HttpServerRequest request, int n);
  }

  public record Seen(String method, String path, MultiMap headers, JsonObject body, long atNanos) {}

  public final List<Seen> requests = new CopyOnWriteArrayList<>();
  final List<Long> closedAtNanos = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final AtomicInteger count = new AtomicInteger();
  private volatile Script script = (request, n) -> request.response().setStatusCode(500).end();
  private HttpServer server;

  private FakeOpenAi(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeOpenAi> start(Vertx vertx) {
    FakeOpenAi fake = new FakeOpenAi(vertx);
    fake.server = vertx.createHttpServer()
        .connectionHandler(conn -> conn.closeHandler(v -> fake.closedAtNanos.add(System.nanoTime())))
        .requestHandler(fake::handle);
    return fake.server.listen(0, "127.0.0.1").map(s -> fake);
  }

  public FakeOpenAi script(Script next) {
    this.script = next;
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonObject json = body.length() == 0 ? null : body.toJsonObject();
      requests.add(new Seen(request.method().name(), request.path(), request.headers(), json, System.nanoTime()));
      script.answer(request, count.incrementAndGet());
    });
  }

  // ---- the protocol's pieces ----

  public static String token(String content) {
    return data(new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("content", content)).putNull("finish_reason"))).encode());
  }

  public static String role() {
    return data(new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("role", "assistant")))).encode());
  }

  public static String finish(String reason) {
    return data(new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject()).put("finish_reason", reason))).encode());
  }

  public static String data(String payload) {
    return "data: " + payload + "\n\n";
  }

  public static final String DONE = "data: [DONE]\n\n";

  public static HttpServerResponse streaming(HttpServerRequest request) {
    return request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  /** Writes the pieces one by one, {@code gapMs} apart (each a separate TCP write), then ends the response if asked. */
  public void writeSlowly(HttpServerResponse response, List<String> pieces, long gapMs, boolean end) {
    List<String> left = new ArrayList<>(pieces);
    if (left.isEmpty()) {
      if (end && !response.closed()) {
        response.end();
      }
      return;
    }
    vertx.setTimer(Math.max(1, gapMs), id -> {
      if (response.closed()) {
        return;
      }
      response.write(left.remove(0));
      writeSlowly(response, left, gapMs, end);
    });
  }

  public Future<Void> close() {
    return server.close();
  }
}
