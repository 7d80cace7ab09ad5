package dev.pmm.model;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline provider: the {@link OfflineResponder}'s reply streamed a word at a time, like a
 * language model's, so the turn loop (streaming, cancellation) is exercised without a network.
 */
public final class OfflineModel implements ChatModel {

  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+\\s*");

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

  /** The reply's words, each with the whitespace after it (the first also with any before it). */
  static List<String> tokens(String reply) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(reply);
    while (m.find()) {
      out.add(m.group());
    }
    if (out.isEmpty() && !reply.isEmpty()) {
      out.add(reply);
    }
    return out;
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
      try {
        reply = responder.apply(request);
        tokens = tokens(reply);
      } catch (RuntimeException e) {
        fail(new ModelException("internal", "the offline responder failed: " + e.getMessage(), e));
        return;
      }
      deliverNext();
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
