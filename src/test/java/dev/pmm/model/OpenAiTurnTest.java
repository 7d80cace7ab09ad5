package dev.pmm.model;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Whole turns through the openai provider against a real HTTP server: failures end as turn_failed. */
@ExtendWith(VertxExtension.class)
class OpenAiTurnTest {

  @TempDir
  Path dataDir;
  private FakeOpenAi fake;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = await(FakeOpenAi.start(vertx));
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.MODEL_PROVIDER, "openai")
        .put(ConfigKeys.MODEL_OPENAI_BASE_URL, fake.baseUrl()).put(ConfigKeys.MODEL_OPENAI_RETRIES, 1)
        .put(ConfigKeys.MODEL_OPENAI_RETRY_BACKOFF_MS, 10).put(ConfigKeys.MODEL_OPENAI_IDLE_TIMEOUT_MS, 400);
    await(PmmServer.deployCore(vertx, config).compose(v -> PmmServer.deployMind(vertx, config)));
  }

  private List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0))
        .getJsonArray("events").forEach(e -> kinds.add(((JsonObject) e).getString("kind")));
    return kinds;
  }

  private String failedTurn(String text) {
    try {
      TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", text));
      fail("the turn should fail");
      return null;
    } catch (AssertionError e) {
      Throwable cause = e;
      while (!(cause instanceof ReplyException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause.getMessage();
    }
  }

  private JsonObject lastEventMeta() {
    return TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("before", Long.MAX_VALUE).put("limit", 1))
        .getJsonArray("events").getJsonObject(0).getJsonObject("meta");
  }

  @Test
  void aStreamedReplyIsATurn() {
    fake.script((request, n) -> fake.writeSlowly(FakeOpenAi.streaming(request),
        List.of(FakeOpenAi.token("I will "), FakeOpenAi.token("check the ledger."), FakeOpenAi.finish("stop"), FakeOpenAi.DONE), 5, true));
    JsonObject done = TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", "Please check the ledger"));
    assertEquals("I will check the ledger.", done.getString("reply"));
    assertEquals(List.of("user_message", "assistant_message", "commitment_open"), kinds());
    assertTrue(fake.requests.get(0).body().getJsonArray("messages").encode().contains("Please check the ledger"));
  }

  @Test
  void serverErrorsEndAsTurnFailed() {
    String message = failedTurn("hello");
    assertTrue(message.contains("http_500"), message);
    assertEquals(2, fake.requests.size(), "one retry");
    assertEquals(List.of("user_message", "turn_failed"), kinds());
    assertEquals("http_500", lastEventMeta().getString("reason"));
    JsonObject turns = TestLedger.request(vertx, Addresses.TURN_STATUS, null);
    assertEquals("DEGRADED", turns.getString("status"), "a failing model shows in health");
  }

  @Test
  void aStallAndAMalformedChunkEndAsTurnFailedWithNothingHalfWritten() {
    fake.script((request, n) -> fake.writeSlowly(FakeOpenAi.streaming(request), List.of(FakeOpenAi.token("Half a ")), 5, false));
    assertTrue(failedTurn("stall").contains("timeout"));
    fake.script((request, n) -> fake.writeSlowly(FakeOpenAi.streaming(request),
        List.of(FakeOpenAi.token("Half a "), FakeOpenAi.data("{not json")), 5, true));
    assertTrue(failedTurn("garbage").contains("malformed_chunk"));
    assertEquals(List.of("user_message", "turn_failed", "user_message", "turn_failed"), kinds());
    assertEquals(7, lastEventMeta().getInteger("partial_chars"), "the partial reply is counted, never stored");
  }
}
