package dev.pmm.model;

import dev.pmm.mind.Texts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The offline provider: the {@link OfflineResponder}'s reply streamed a word at a time, like a
 * language model's, so the turn loop (streaming, cancellation) is exercised without a network.
 */
public final class OfflineModel implements ChatModel {

  private final Vertx vertx;
  private final long tokenDelayMs;
  private final Function<ChatRequest, String> responder;

  public OfflineModel(Vertx vertx, long tokenDelayMs) {
    this(vertx, tokenDelayMs, new OfflineResponder()::reply);
  }

  OfflineModel(Vertx vertx, long tokenDelayMs, Function<ChatRequest, String> responder) {
    if (tokenDelayMs < 0) {
      throw new IllegalArgumentException("token delay must be 0 or more ms, was " + tokenDelayMs);
    }
    this.vertx = Objects.requireNonNull(vertx);
    this.tokenDelayMs = tokenDelayMs;
    this.responder = responder;
  }

  @Override
  public ChatCall start(ChatRequest request, Consumer<String> onToken) {
    Context context = vertx.getOrCreateContext();
    Stream stream = new Stream(onToken);
    // Every step runs on the caller's context, so the timers set there stay on it too.
    context.runOnContext(v -> stream.begin(request, context));
    return stream;
  }

  @Override
  public String describe() {
    return "offline (rule-based stand-in, not a language model)";
  }

  /**
   * The reply's words, each with the whitespace after it (the first also with any before it); a
   * reply of whitespace only is one token. A loop, where the pattern {@code \s*\S+\s*} rescanned a
   * run of whitespace with no word after it from each of its characters.
   */
  static List<String> tokens(String reply) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < reply.length()) {
      int start = at;
      at = skip(reply, at, true);
      if (at == reply.length()) {
        break;
      }
      at = skip(reply, skip(reply, at, false), true);
      out.add(reply.substring(start, at));
    }
    if (out.isEmpty() && !reply.isEmpty()) {
      out.add(reply);
    }
    return out;
  }

  /** The index past the characters from {@code at} that are whitespace (or, {@code whitespace} false, are not). */
  private static int skip(String text, int at, boolean whitespace) {
    while (at < text.length() && (Texts.PATTERN_WHITESPACE.indexOf(text.charAt(at)) >= 0) == whitespace) {
      at++;
    }
    return at;
  }

  private final class Stream implements ChatCall {
    private final Consumer<String> onToken;
    private final Promise<String> result = Promise.promise();
    /** Set once, by whichever comes first: the last token, a failure or cancel(). */
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile long timer = -1;
    private Context context;
    private String reply;
    private List<String> tokens;
    private int next;

    Stream(Consumer<String> onToken) {
      this.onToken = onToken;
    }

    void begin(ChatRequest request, Context context) {
      if (over.get()) {
        return;
      }
      this.context = context;
      // Linear in the message, yet a few milliseconds for 16,000 characters: a worker thread
      // writes the reply, and the tokens are delivered back on the caller's context.
      context.executeBlocking(() -> responder.apply(request), false).onComplete(written -> {
        if (written.failed()) {
          fail(new ModelException("internal", "the offline responder failed: " + written.cause().getMessage(), written.cause()));
          return;
        }
        reply = written.result();
        tokens = tokens(reply);
        deliverNext();
      });
    }

    private void deliverNext() {
      timer = -1;
      if (over.get()) {
        return;
      }
      if (next < tokens.size()) {
        try {
          onToken.accept(tokens.get(next++));
        } catch (RuntimeException e) {
          fail(new ModelException("internal", "the token consumer failed: " + e.getMessage(), e));
          return;
        }
      }
      if (next >= tokens.size()) {
        if (over.compareAndSet(false, true)) {
          result.complete(reply);
        }
      } else if (tokenDelayMs == 0) {
        // One token per task: a long reply never holds the event loop.
        context.runOnContext(v -> deliverNext());
      } else {
        timer = vertx.setTimer(tokenDelayMs, id -> deliverNext());
      }
    }

    private void fail(ModelException e) {
      if (over.compareAndSet(false, true)) {
        result.fail(e);
      }
    }

    @Override
    public Future<String> reply() {
      return result.future();
    }

    @Override
    public void cancel() {
      if (over.compareAndSet(false, true)) {
        long t = timer;
        if (t >= 0) {
          vertx.cancelTimer(t);
        }
        result.fail(new ModelException("cancelled", "the reply was cancelled"));
      }
    }
  }
}
