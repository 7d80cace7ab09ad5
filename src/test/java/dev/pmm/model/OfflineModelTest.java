package dev.pmm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.mind.MindContext;
import dev.pmm.support.AdversarialTexts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OfflineModelTest {

  private static ChatRequest ask(String userText) {
    MindContext c = new MindContext("Echo", Map.of(), List.of(), 0.03, 0.14, "S0", 3, List.of(), List.of(), userText);
    return new ChatRequest(ChatRequest.Purpose.CHAT, List.of(ChatMessage.user(userText)), c);
  }

  @Test
  void tokensAreWordsWithTheirSpacesAndConcatenateToTheText() {
    assertEquals(List.of("Hello, ", "Echo  ", "here.\n", "Bye"), OfflineModel.tokens("Hello, Echo  here.\nBye"));
    assertEquals(List.of("  lead ", "trail  "), OfflineModel.tokens("  lead trail  "));
    assertEquals(List.of("   "), OfflineModel.tokens("   "));
    assertEquals(List.of(), OfflineModel.tokens(""));
  }

  @Test
  void tokensTakeLinearTimeOnAdversarialText() {
    AdversarialTexts.assertLinear("OfflineModel.tokens", OfflineModel::tokens);
  }

  @Test
  void describesItselfAsAStandIn(Vertx vertx) {
    assertEquals("offline (rule-based stand-in, not a language model)", new OfflineModel(vertx, 0).describe());
  }

  @Test
  void streamsTheRepliesTokensOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    ChatRequest request = ask("Please summarise our talk about Paris.");
    String expected = new OfflineResponder().reply(request);
    List<String> tokens = new CopyOnWriteArrayList<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ChatCall call = new OfflineModel(vertx, 5).start(request, token -> {
        test.verify(() -> assertSame(context, Vertx.currentContext()));
        tokens.add(token);
      });
      call.reply().onComplete(test.succeeding(reply -> test.verify(() -> {
        assertEquals(expected, reply);
        assertEquals(expected, String.join("", tokens));
        assertEquals(OfflineModel.tokens(expected), tokens);
        assertTrue(tokens.size() > 3);
        test.completeNow();
      })));
    });
  }

  @Test
  void cancelStopsTheTokensAndFailsTheReplyAsCancelled(Vertx vertx, VertxTestContext test) {
    List<String> tokens = new CopyOnWriteArrayList<>();
    AtomicReference<ChatCall> call = new AtomicReference<>();
    vertx.runOnContext(v -> {
      call.set(new OfflineModel(vertx, 20, r -> "one two three four five six seven eight").start(ask("x"), token -> {
        tokens.add(token);
        if (tokens.size() == 2) {
          vertx.setTimer(5, id -> call.get().cancel());
        }
      }));
      call.get().reply().onComplete(test.failing(e -> test.verify(() -> {
        ModelException m = assertInstanceOf(ModelException.class, e);
        assertEquals("cancelled", m.reason());
        assertEquals(2, tokens.size());
        // Wait past a few token delays: nothing more arrives.
        vertx.setTimer(120, id -> test.verify(() -> {
          assertEquals(List.of("one ", "two "), tokens);
          test.completeNow();
        }));
      })));
    });
  }

  @Test
  void cancelBeforeTheFirstTokenDeliversNone(Vertx vertx, VertxTestContext test) {
    List<String> tokens = new CopyOnWriteArrayList<>();
    // On the model's own context, so no token can be delivered between start and cancel.
    vertx.runOnContext(v -> {
      ChatCall call = new OfflineModel(vertx, 0).start(ask("Hello"), tokens::add);
      call.cancel();
      call.reply().onComplete(test.failing(e -> vertx.setTimer(50, id -> test.verify(() -> {
        assertEquals("cancelled", ((ModelException) e).reason());
        assertEquals(List.of(), tokens);
        test.completeNow();
      }))));
    });
  }

  @Test
  void cancelAfterCompletionIsANoOp(Vertx vertx, VertxTestContext test) {
    ChatCall call = new OfflineModel(vertx, 0).start(ask("Hello"), token -> { });
    call.reply().onComplete(test.succeeding(reply -> {
      call.cancel();
      call.cancel();
      test.verify(() -> {
        assertTrue(call.reply().succeeded());
        assertEquals("Hello, Echo here.", call.reply().result());
      });
      test.completeNow();
    }));
  }

  @Test
  void delayZeroStreamsAHugeReplyWithoutHoldingTheEventLoop(Vertx vertx, VertxTestContext test) {
    String huge = "word ".repeat(9_999) + "end.";
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger deliveredWhenOtherTaskRan = new AtomicInteger(-1);
    vertx.runOnContext(v -> {
      ChatCall call = new OfflineModel(vertx, 0, r -> huge).start(ask("x"), token -> {
        if (delivered.incrementAndGet() == 10) {
          // Queued behind the stream on the same event loop: it must run before the stream ends.
          vertx.runOnContext(x -> deliveredWhenOtherTaskRan.set(delivered.get()));
        }
      });
      call.reply().onComplete(test.succeeding(reply -> test.verify(() -> {
        assertEquals(huge, reply);
        assertEquals(10_000, delivered.get());
        int at = deliveredWhenOtherTaskRan.get();
        assertTrue(at >= 10 && at < 10_000, "the other task ran mid-stream, after token " + at);
        test.completeNow();
      })));
    });
  }

  @Test
  void aFailingResponderFailsTheReply(Vertx vertx, VertxTestContext test) {
    new OfflineModel(vertx, 0, r -> { throw new IllegalStateException("boom"); }).start(ask("x"), t -> { })
        .reply().onComplete(test.failing(e -> test.verify(() -> {
          assertEquals("internal", ((ModelException) e).reason());
          test.completeNow();
        })));
  }

  @Test
  void aNegativeDelayIsRefused(Vertx vertx) {
    assertThrows(IllegalArgumentException.class, () -> new OfflineModel(vertx, -1));
  }
}
