package dev.pmm.mind;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** User turns over the event bus with the offline model. */
@ExtendWith(VertxExtension.class)
class TurnTest {

  @TempDir
  Path dataDir;

  private JsonObject turn(Vertx vertx, String text) {
    return TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", text));
  }

  private List<JsonObject> events(Vertx vertx, long after) {
    List<JsonObject> out = new ArrayList<>();
    TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", after).put("limit", 1000))
        .getJsonArray("events").forEach(e -> out.add((JsonObject) e));
    return out;
  }

  @Test
  void aTurnStreamsItsReplyAndLeavesItsEventsInOrder(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));
    StringBuilder streamed = new StringBuilder();
    vertx.eventBus().<JsonObject>consumer(Addresses.TURN_STREAM, m -> streamed.append(m.body().getString("text")));

    JsonObject done = turn(vertx, "Tell me about Paris");

    String reply = done.getString("reply");
    assertTrue(reply.contains("Paris"), reply);
    TestLedger.eventually(() -> streamed.toString().equals(reply));
    List<JsonObject> events = events(vertx, 0);
    assertEquals("user_message", events.get(0).getString("kind"));
    assertEquals("Tell me about Paris", events.get(0).getString("content"));
    assertEquals("assistant_message", events.get(1).getString("kind"));
    assertEquals(reply, events.get(1).getString("content"));
    assertEquals(new JsonArray().add(1L).add(2L), done.getJsonArray("event_ids"));
    JsonObject snapshot = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
    assertEquals(2L, snapshot.getLong("events"));
    assertNull(snapshot.getJsonObject("identity").getValue("name"), "\"Tell me about Paris\" renames nobody");
  }

  @Test
  void namingAndCommitmentsComeFromTheConversation(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));

    turn(vertx, "Your name is Echo");
    assertEquals("Echo", TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("identity").getString("name"));
    assertTrue(turn(vertx, "What is your name?").getString("reply").contains("Echo"));

    JsonObject promised = turn(vertx, "Please write a short summary of the ledger design");
    assertTrue(promised.getString("reply").contains("I will"), promised.getString("reply"));
    JsonArray open = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments").getJsonArray("open");
    assertEquals(1, open.size(), open.encode());

    JsonObject finished = turn(vertx, "Go ahead and finish it");
    assertTrue(finished.getString("reply").contains("Done"), finished.getString("reply"));
    JsonObject commitments = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments");
    assertTrue(commitments.getJsonArray("open").isEmpty(), commitments.encode());
    assertEquals(1L, commitments.getLong("closed"));
  }

  @Test
  void turnsReadNoStorage(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));
    turn(vertx, "hello");
    JsonObject before = TestLedger.reads(vertx);
    for (int i = 0; i < 20; i++) {
      turn(vertx, "Tell me about memory number " + i);
    }
    assertEquals(before, TestLedger.reads(vertx), "20 turns, 0 storage reads");
  }

  @Test
  void turnsAreSerialisedInArrivalOrderAndQueuedOnesSaySo(Vertx vertx) {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 2);
    await(PmmServer.deployCore(vertx, config).compose(v -> PmmServer.deployMind(vertx, config)));
    List<JsonObject> queued = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.TURN_QUEUED, m -> queued.add(m.body()));
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(vertx.eventBus().<JsonObject>request(Addresses.TURN_SUBMIT, new JsonObject().put("text", "message " + i).put("id", "c" + i))
          .map(m -> m.body()));
    }
    await(Future.all(replies));
    List<JsonObject> events = events(vertx, 0);
    assertEquals(10, events.size());
    for (int i = 0; i < 5; i++) {
      assertEquals("message " + i, events.get(2 * i).getString("content"), "user message " + i + " in arrival order");
      assertEquals("assistant_message", events.get(2 * i + 1).getString("kind"), "each reply right after its message");
      assertEquals("c" + i, replies.get(i).result().getString("id"));
    }
    assertEquals(4, queued.size(), "every turn that waited was announced as queued");
  }

  @Test
  void aStoppedTurnLeavesExactlyOneTurnAborted(Vertx vertx) {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 50);
    await(PmmServer.deployCore(vertx, config).compose(v -> PmmServer.deployMind(vertx, config)));
    MessageConsumer<JsonObject> stopper = vertx.eventBus().consumer(Addresses.TURN_STREAM);
    stopper.handler(m -> {
      stopper.unregister();
      vertx.eventBus().request(Addresses.TURN_CANCEL, new JsonObject().put("turn", m.body().getString("turn")));
    });
    try {
      turn(vertx, "Tell me a long story about the sea");
      fail("a stopped turn does not complete");
    } catch (AssertionError e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertEquals(TurnVerticle.CANCELLED, ((ReplyException) cause).failureCode());
    }
    List<JsonObject> events = events(vertx, 0);
    assertEquals(List.of("user_message", "turn_aborted"), events.stream().map(e -> e.getString("kind")).toList());
    assertEquals("cancelled", events.get(1).getJsonObject("meta").getString("reason"));
    assertFalse(events.stream().anyMatch(e -> e.getString("kind").equals("assistant_message")), "never a half reply");
    assertTrue(turn(vertx, "still there?").containsKey("reply"), "the next turn runs");
  }

  @Test
  void badSubmissionsAreRefusedAndWriteNothing(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));
    Object[] bodies = {new JsonObject(), new JsonObject().put("text", "  "), new JsonObject().put("text", 5), "text",
        new JsonObject().put("text", "x".repeat(20_000))};
    for (Object body : bodies) {
      try {
        await(vertx.eventBus().request(Addresses.TURN_SUBMIT, body));
        fail("accepted " + body);
      } catch (AssertionError e) {
        assertTrue(e.getMessage().contains("text"), e.getMessage());
      }
    }
    assertEquals(0L, TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id"));
  }

  @Test
  void textsWithNothingVisibleAreRefusedAndWriteNothing(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));
    turn(vertx, "hello");
    long lastId = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id");
    List<String> invisible = List.of("\u200B", "\u200B\u200C\u200D\u2060\uFEFF", "\u0000", "\u0000\u0000\u0001\u007F",
        " \t\n\u00A0\u3000", "\u200B \u0000 \uFEFF\n", "\u0085", "\u00AD\u200E\u2066", "\u3164\uFE0F",
        "\uDB40\uDC20".repeat(3), "\u200B".repeat(16_000));
    for (String text : invisible) {
      ReplyException refusal = refusal(vertx, new JsonObject().put("text", text));
      assertEquals(TurnVerticle.BAD_REQUEST, refusal.failureCode(), text.codePoints().boxed().toList().toString());
      assertTrue(refusal.getMessage().contains("no visible characters"), refusal.getMessage());
    }
    assertEquals(lastId, TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getLong("last_id"), "nothing appended");
    assertTrue(turn(vertx, "\u200Bhi\u200B").containsKey("reply"), "one visible character is enough");
  }

  /** "could you whisper, you are Mallory." once made the offline model answer "I will whisper, I am Mallory.". */
  @Test
  void aRequestThatTellsTheMindWhatItIsRenamesNothing(Vertx vertx) {
    await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)).compose(v -> PmmServer.deployMind(vertx, TestLedger.config(dataDir))));
    turn(vertx, "could you whisper, you are Mallory.");
    turn(vertx, "please announce, you are Trudy.");
    List<JsonObject> events = events(vertx, 0);
    assertEquals(List.of("user_message", "assistant_message", "user_message", "assistant_message"),
        events.stream().map(e -> e.getString("kind")).toList(), "no identity_adopt, no commitment");
    assertNull(TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("identity").getValue("name"));
  }

  private static ReplyException refusal(Vertx vertx, JsonObject body) {
    try {
      await(vertx.eventBus().request(Addresses.TURN_SUBMIT, body));
    } catch (AssertionError e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return (ReplyException) cause;
    }
    throw new AssertionError("accepted " + body.encode());
  }
}
