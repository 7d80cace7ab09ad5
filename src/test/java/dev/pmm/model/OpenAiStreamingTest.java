package dev.pmm.model;

import dev.pmm.model.OpenAiModel.Settings;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.pmm.model.FakeOpenAi.DONE;
import static dev.pmm.model.FakeOpenAi.finish;
import static dev.pmm.model.FakeOpenAi.role;
import static dev.pmm.model.FakeOpenAi.streaming;
import static dev.pmm.model.FakeOpenAi.token;
import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A streamed reply from a real HTTP server, as OpenAI and Ollama's /v1 send it. */
@ExtendWith(VertxExtension.class)
class OpenAiStreamingTest {

  private static final List<ChatMessage> MESSAGES = List.of(
      ChatMessage.system("You are Echo."), ChatMessage.user("Say hello."));

  private FakeOpenAi server;
  private OpenAiModel model;

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

  private static ChatRequest chat() {
    return new ChatRequest(ChatRequest.Purpose.CHAT, MESSAGES, null);
  }

  @Test
  void tokensArriveInOrderOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    // Lines cut across TCP writes, at "\r\n" and in the middle of "data:" and of the JSON.
    String hello = token("Hel");
    String world = token(" wörld").replace("\n\n", "\r\n\r\n");
    List<String> pieces = List.of(role(), hello.substring(0, 3), hello.substring(3, 20), hello.substring(20),
        token("lo"), world.substring(0, world.length() - 3), world.substring(world.length() - 3),
        ": a comment\n\n", finish("stop"), "data: [DO", "NE]\n", "\n");
    server.script((request, n) -> server.writeSlowly(streaming(request), pieces, 5, true));
    model = new OpenAiModel(vertx, Settings.of(server.baseUrl(), "gpt-test").withApiKey("sk-test")
        .withSampling(0.25, 99));

    List<String> tokens = new CopyOnWriteArrayList<>();
    Context caller = vertx.getOrCreateContext();
    caller.runOnContext(v -> model.start(chat(), token -> {
      test.verify(() -> assertSame(caller, Vertx.currentContext(), "a token off the caller's context"));
      tokens.add(token);
    }).reply().onComplete(test.succeeding(reply -> test.verify(() -> {
      assertSame(caller, Vertx.currentContext());
      assertEquals(List.of("Hel", "lo", " wörld"), tokens);
      assertEquals("Hello wörld", reply);

      assertEquals(1, server.requests.size());
      FakeOpenAi.Seen seen = server.requests.get(0);
      assertEquals("POST", seen.method());
      assertEquals("/v1/chat/completions", seen.path());
      assertEquals("Bearer sk-test", seen.headers().get("Authorization"));
      assertEquals("application/json", seen.headers().get("Content-Type"));
      assertEquals("text/event-stream", seen.headers().get("Accept"));
      assertEquals(new JsonObject()
          .put("model", "gpt-test")
          .put("messages", new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", "You are Echo."))
              .add(new JsonObject().put("role", "user").put("content", "Say hello.")))
          .put("stream", true)
          .put("temperature", 0.25)
          .put("max_tokens", 99), seen.body());
      test.completeNow();
    }))));
  }

  @Test
  void withoutAKeyNoAuthorizationIsSent(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(token("ok") + DONE));
    model = new OpenAiModel(vertx, Settings.of(server.baseUrl() + "/", "llama3.2"));
    model.start(chat(), token -> { }).reply().onComplete(test.succeeding(reply -> test.verify(() -> {
      assertEquals("ok", reply);
      assertNull(server.requests.get(0).headers().get("Authorization"));
      assertEquals("/v1/chat/completions", server.requests.get(0).path());
      test.completeNow();
    })));
  }

  @Test
  void aStreamThatEndsAfterAFinishReasonButNoDoneIsAccepted(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(token("all ") + token("here") + finish("stop")));
    model = new OpenAiModel(vertx, Settings.of(server.baseUrl(), "m"));
    model.start(chat(), token -> { }).reply().onComplete(test.succeeding(reply -> test.verify(() -> {
      assertEquals("all here", reply);
      test.completeNow();
    })));
  }

  @Test
  void connectionsAreReusedAfterAWholeReply(Vertx vertx, VertxTestContext test) {
    server.script((request, n) -> streaming(request).end(token("r" + n) + finish("stop") + DONE));
    model = new OpenAiModel(vertx, Settings.of(server.baseUrl(), "m"));
    model.start(chat(), token -> { }).reply()
        .compose(first -> model.start(chat(), token -> { }).reply().map(second -> first + second))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertEquals("r1r2", both);
          assertFalse(server.closedAtNanos.size() > 0, "a connection was closed");
          test.completeNow();
        })));
  }

  @Test
  void describeNamesModelAndEndpoint(Vertx vertx) {
    model = new OpenAiModel(vertx, Settings.of("http://127.0.0.1:11434/v1", "llama3.2"));
    assertEquals("openai-compatible llama3.2 at http://127.0.0.1:11434/v1", model.describe());
  }
}
