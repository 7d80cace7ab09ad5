package dev.pmm.model;

import dev.pmm.model.OpenAiModel.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static dev.pmm.model.FakeOpenAi.DONE;
import static dev.pmm.model.FakeOpenAi.data;
import static dev.pmm.model.FakeOpenAi.finish;
import static dev.pmm.model.FakeOpenAi.role;
import static dev.pmm.model.FakeOpenAi.streaming;
import static dev.pmm.model.FakeOpenAi.token;
import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a reply can fail, each against a real HTTP server, and which of them are retried. */
@ExtendWith(VertxExtension.class)
class OpenAiFailureTest {

  private FakeOpenAi server;
  private OpenAiModel model;
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    server = await(FakeOpenAi.start(vertx));
  }

  @AfterEach
  void stop() {
    if (model != null) {
      await(model.close());
    }
    await(server.close());
  }

  /** Short timeouts and backoffs, no jitter: the tests stay fast and their timings exact. */
  private Settings quick() {
    return Settings.of(server.baseUrl(), "m").withTimeouts(1000, 2000, 0).withRetries(3, 10, 150, false);
  }

  private ChatCall start(Vertx vertx, Settings settings) {
    return start(vertx, settings, tokens::add);
  }

  private ChatCall start(Vertx vertx, Settings settings, Consumer<String> onToken) {
    model = new OpenAiModel(vertx, settings);
    return model.start(new ChatRequest(ChatRequest.Purpose.CHAT, List.of(ChatMessage.user("hi")), null), onToken);
  }

  private static ModelException modelError(Throwable error) {
    return assertInstanceOf(ModelException.class, error);
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Test
  void cancelMidStreamClosesTheUpstreamAndStopsTheTokens(Vertx vertx, VertxTestContext test) {
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      slow.add(token("t" + i + " "));
    }
    server.script((request, n) -> server.writeSlowly(streaming(request), slow, 50, true));
    AtomicReference<ChatCall> call = new AtomicReference<>();
    AtomicLong cancelledAt = new AtomicLong();
    call.set(start(vertx, quick(), token -> {
      tokens.add(token);
      if (tokens.size() == 2) {
        cancelledAt.set(System.nanoTime());
        call.get().cancel();
      }
    }));
    call.get().reply().onComplete(test.failing(error -> test.verify(() -> {
      assertEquals("cancelled", modelError(error).reason());
      // Long enough for several more tokens had the stream gone on.
      vertx.setTimer(400, id -> test.verify(() -> {
        assertEquals(List.of("t0 ", "t1 "), tokens);
        assertEquals(1, server.closedAtNanos.size(), "the server did not see the connection close");
        long closedAfterMs = (server.closedAtNanos.get(0) - cancelledAt.get()) / 1_000_000;
        assertTrue(closedAfterMs < 1000, "closed " + closedAfterMs + " ms after cancel");
        assertEquals(1, server.requests.size());
        test.completeNow();
      }));
    })));
  }

  @Test
  void a500OnEveryAttemptFailsAfterRetriesPlusOneRequests(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> request.response().setStatusCode(500).end("{\"error\":{\"message\":\"overloaded\"}}"));
    start(vertx, quick().withRetries(2, 10, 150, false)).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("http_500", e.reason());
      assertTrue(e.getMessage().contains("overloaded") && e.getMessage().contains("3 attempts"), e.getMessage());
      assertEquals(3, server.requests.size());
      test.completeNow();
    })));
  }

  @Test
  void a429ThenSuccessHonoursRetryAfterUpToItsCap(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> {
      if (n == 1) {
        request.response().setStatusCode(429).putHeader("Retry-After", "1").end("slow down");
      } else {
        streaming(request).end(token("fine") + finish("stop") + DONE);
      }
    });
    start(vertx, quick()).reply().onComplete(test.succeeding(reply -> test.verify(() -> {
      assertEquals("fine", reply);
      assertEquals(2, server.requests.size());
      long gapMs = (server.requests.get(1).atNanos() - server.requests.get(0).atNanos()) / 1_000_000;
      // Retry-After said 1 s; the cap (150 ms) wins over it, and both win over the 10 ms backoff.
      assertTrue(gapMs >= 140 && gapMs < 900, "retried after " + gapMs + " ms");
      test.completeNow();
    })));
  }

  @Test
  void aStreamThatStallsPastTheIdleTimeoutTimesOut(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).write(role())); // and then nothing
    long started = System.nanoTime();
    start(vertx, quick().withTimeouts(1000, 300, 0)).reply().onComplete(test.failing(error -> test.verify(() -> {
      long tookMs = msSince(started);
      assertEquals("timeout", modelError(error).reason());
      assertTrue(tookMs >= 290 && tookMs < 1500, "timed out after " + tookMs + " ms");
      assertEquals(1, server.requests.size(), "a timeout is not retried");
      vertx.setTimer(200, id -> test.verify(() -> {
        assertEquals(1, server.closedAtNanos.size(), "the stalled connection was left open");
        test.completeNow();
      }));
    })));
  }

  @Test
  void aServerThatNeverAnswersTimesOut(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> { }); // no status line at all
    start(vertx, quick().withTimeouts(1000, 300, 0)).reply().onComplete(test.failing(error -> test.verify(() -> {
      assertEquals("timeout", modelError(error).reason());
      test.completeNow();
    })));
  }

  @Test
  void theFirstTokenTimeoutAllowsASlowStartButNotALaterStall(Vertx vertx, VertxTestContext test) {
    // 500 ms of silence before the first token (a model loading), then a stall after "b".
    server.script((request, n) -> vertx.setTimer(500, id ->
        server.writeSlowly(streaming(request), List.of(token("a"), token("b")), 10, false)));
    long started = System.nanoTime();
    start(vertx, quick().withTimeouts(1000, 200, 2000)).reply().onComplete(test.failing(error -> test.verify(() -> {
      long tookMs = msSince(started);
      ModelException e = modelError(error);
      assertEquals("timeout", e.reason());
      assertTrue(e.getMessage().contains("no bytes"), e.getMessage());
      assertEquals(List.of("a", "b"), tokens);
      assertTrue(tookMs >= 690 && tookMs < 1500, "timed out after " + tookMs + " ms");
      test.completeNow();
    })));
  }

  @Test
  void noFirstTokenWithinItsTimeoutTimesOut(Vertx vertx, VertxTestContext test) {
    // Comments keep bytes coming, so only the first-token timeout can end this.
    List<String> keepAlive = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keepAlive.add(": waiting\n\n");
    }
    server.script((request, n) -> server.writeSlowly(streaming(request), keepAlive, 50, true));
    start(vertx, quick().withTimeouts(1000, 200, 400)).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("timeout", e.reason());
      assertTrue(e.getMessage().contains("no token within 400 ms"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void aChunkThatIsNotJsonIsMalformed(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).write(role() + data("{\"choices\": [oops")));
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("malformed_chunk", e.reason());
      assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains("[oops"), e.getMessage());
      assertEquals(1, server.requests.size());
      vertx.setTimer(200, id -> test.verify(() -> {
        assertEquals(1, server.closedAtNanos.size(), "the rest of a malformed stream was not refused");
        test.completeNow();
      }));
    })));
  }

  @Test
  void aChunkOfTheWrongShapeIsMalformed(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(token("a") + data("{\"object\":\"chat.completion.chunk\"}") + DONE));
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("malformed_chunk", e.reason());
      assertTrue(e.getMessage().contains("\"choices\" array"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void aRefusedConnectionIsAConnectFailureAfterItsRetries(Vertx vertx, VertxTestContext test) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Settings settings = Settings.of("http://127.0.0.1:" + closedPort + "/v1", "m")
        .withTimeouts(1000, 1000, 0).withRetries(1, 10, 150, false);
    start(vertx, settings).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("connect", e.reason());
      assertTrue(e.getMessage().contains("2 attempts"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void a401IsNotRetried(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", "Incorrect API key provided")).encode()));
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("http_401", e.reason());
      assertTrue(e.getMessage().contains("Incorrect API key provided"), e.getMessage());
      assertEquals(1, server.requests.size());
      test.completeNow();
    })));
  }

  @Test
  void aFailureAfterTheFirstTokenIsNotRetried(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> {
      if (n == 1) {
        streaming(request).write(token("Hi"));
        vertx.setTimer(50, id -> request.connection().close());
      } else {
        streaming(request).end(token("a different reply") + DONE);
      }
    });
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      assertEquals("truncated", modelError(error).reason());
      assertEquals(List.of("Hi"), tokens);
      assertEquals(1, server.requests.size());
      test.completeNow();
    })));
  }

  @Test
  void aStreamWithoutContentIsAnEmptyReply(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(n == 1 ? role() + finish("stop") + DONE : role()));
    start(vertx, quick()).reply().onComplete(test.failing(withDone -> test.verify(() -> {
      assertEquals("empty_reply", modelError(withDone).reason());
      model.start(new ChatRequest(ChatRequest.Purpose.CHAT, List.of(ChatMessage.user("hi")), null), tokens::add)
          .reply().onComplete(test.failing(withoutDone -> test.verify(() -> {
            assertEquals("empty_reply", modelError(withoutDone).reason());
            assertEquals(2, server.requests.size());
            test.completeNow();
          })));
    })));
  }

  @Test
  void aStreamThatEndsWithoutDoneOrFinishReasonIsTruncated(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(token("half a")));
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      assertEquals("truncated", modelError(error).reason());
      assertEquals(List.of("half a"), tokens);
      test.completeNow();
    })));
  }

  @Test
  void anErrorInsideTheStreamIsAnUpstreamError(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(data("{\"error\":{\"message\":\"model not loaded\"}}")));
    start(vertx, quick()).reply().onComplete(test.failing(error -> test.verify(() -> {
      ModelException e = modelError(error);
      assertEquals("upstream_error", e.reason());
      assertTrue(e.getMessage().contains("model not loaded"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void cancelDuringABackoffStopsTheRetries(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> request.response().setStatusCode(503).end());
    ChatCall call = start(vertx, quick().withRetries(3, 10_000, 150, false));
    vertx.setTimer(100, id -> call.cancel());
    long started = System.nanoTime();
    call.reply().onComplete(test.failing(error -> test.verify(() -> {
      assertEquals("cancelled", modelError(error).reason());
      assertTrue(msSince(started) < 1000);
      vertx.setTimer(100, id -> test.verify(() -> {
        assertEquals(1, server.requests.size());
        test.completeNow();
      }));
    })));
  }
}
