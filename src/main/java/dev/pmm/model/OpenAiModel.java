package dev.pmm.model;

import dev.pmm.config.Setting;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama's /v1, llama.cpp server, vLLM,
 * LM Studio), streamed over server-sent events with the Vert.x HTTP client.
 *
 * <p>Each call runs on its caller's context: the HTTP callbacks, the timers and the tokens all
 * happen there, so a call's state needs no locks. Failures are {@link ModelException}s whose
 * reason is one of "connect", "timeout", "http_&lt;status&gt;", "malformed_chunk",
 * "upstream_error", "empty_reply", "truncated" or "cancelled". Only "connect", "http_429" and
 * "http_5xx" are retried, and only while no token has been delivered: once the caller has seen
 * part of a reply, a second attempt would write a different one over it.
 */
public final class OpenAiModel implements ChatModel {

  /**
   * How to reach the endpoint.
   *
   * @param apiKey              sent as "Authorization: Bearer …" when not null (local servers need none)
   * @param idleTimeoutMs       no bytes from the server for this long fails the call with "timeout"
   * @param firstTokenTimeoutMs when above 0, replaces the idle timeout until the first token, counted
   *                            from the request: a local server loading a model sends nothing for a while
   * @param retries             further attempts after the first, on "connect", 429 and 5xx
   * @param retryBackoffMs      the wait before the first retry, doubled for each further one
   * @param retryAfterMaxMs     the longest a Retry-After (of a 429 or a 5xx) is honoured
   * @param jitter              scales each backoff by a random 0.5..1 so clients that failed
   *                            together do not retry together; tests turn it off
   * @param temperature         null leaves it out of the request
   * @param maxTokens           null leaves it out of the request
   */
  public record Settings(String baseUrl, String model, String apiKey, int connectTimeoutMs, long idleTimeoutMs,
                         long firstTokenTimeoutMs, int retries, long retryBackoffMs, long retryAfterMaxMs,
                         boolean jitter, Double temperature, Integer maxTokens) {

    public static final long DEFAULT_RETRY_AFTER_MAX_MS = 10000;

    public Settings {
      if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
        throw new IllegalArgumentException("the OpenAI base URL must start with http:// or https://, not " + baseUrl);
      }
      baseUrl = baseUrl.replaceAll("/+$", "");
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("the OpenAI model name is missing");
      }
      if (apiKey != null && apiKey.isBlank()) {
        apiKey = null;
      }
      if (connectTimeoutMs <= 0 || idleTimeoutMs <= 0 || firstTokenTimeoutMs < 0 || retries < 0
          || retryBackoffMs < 0 || retryAfterMaxMs < 0) {
        throw new IllegalArgumentException("OpenAI timeouts must be above 0 and retries and backoffs not below 0");
      }
    }

    /** The configured defaults (Setting) for this endpoint and model, without an API key. */
    public static Settings of(String baseUrl, String model) {
      return fromConfig(new JsonObject().put(Setting.MODEL_OPENAI_BASE_URL.key(), baseUrl)
          .put(Setting.MODEL_OPENAI_MODEL.key(), model), Map.of());
    }

    /**
     * Reads the model.openai.* keys. The API key is never in the config file: it is read from the
     * environment variable that {@code model.openai.api.key.env} names. A negative temperature or
     * max.tokens 0 leaves that parameter out (reasoning models reject them).
     */
    public static Settings fromConfig(JsonObject config, Map<String, String> env) {
      String keyEnv = Setting.MODEL_OPENAI_API_KEY_ENV.stringIn(config);
      double temperature = Setting.MODEL_OPENAI_TEMPERATURE.doubleIn(config);
      int maxTokens = Setting.MODEL_OPENAI_MAX_TOKENS.intIn(config);
      return new Settings(
          Setting.MODEL_OPENAI_BASE_URL.stringIn(config),
          Setting.MODEL_OPENAI_MODEL.stringIn(config),
          keyEnv == null || keyEnv.isBlank() ? null : env.get(keyEnv),
          Setting.MODEL_OPENAI_CONNECT_TIMEOUT_MS.intIn(config),
          Setting.MODEL_OPENAI_IDLE_TIMEOUT_MS.longIn(config),
          Setting.MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS.longIn(config),
          Setting.MODEL_OPENAI_RETRIES.intIn(config),
          Setting.MODEL_OPENAI_RETRY_BACKOFF_MS.longIn(config),
          DEFAULT_RETRY_AFTER_MAX_MS,
          true,
          temperature < 0 ? null : temperature,
          maxTokens <= 0 ? null : maxTokens);
    }

    public Settings withApiKey(String key) {
      return new Settings(baseUrl, model, key, connectTimeoutMs, idleTimeoutMs, firstTokenTimeoutMs, retries,
          retryBackoffMs, retryAfterMaxMs, jitter, temperature, maxTokens);
    }

    public Settings withTimeouts(int connectMs, long idleMs, long firstTokenMs) {
      return new Settings(baseUrl, model, apiKey, connectMs, idleMs, firstTokenMs, retries,
          retryBackoffMs, retryAfterMaxMs, jitter, temperature, maxTokens);
    }

    public Settings withRetries(int count, long backoffMs, long afterMaxMs, boolean withJitter) {
      return new Settings(baseUrl, model, apiKey, connectTimeoutMs, idleTimeoutMs, firstTokenTimeoutMs, count,
          backoffMs, afterMaxMs, withJitter, temperature, maxTokens);
    }

    public Settings withSampling(Double temp, Integer tokens) {
      return new Settings(baseUrl, model, apiKey, connectTimeoutMs, idleTimeoutMs, firstTokenTimeoutMs, retries,
          retryBackoffMs, retryAfterMaxMs, jitter, temp, tokens);
    }

    /**
     * The wait before retry number {@code retry} (1 = the first): the backoff doubled per retry,
     * or, when the server sent a Retry-After, that (capped at retryAfterMaxMs).
     */
    public long retryDelayMs(int retry, Long retryAfterMs) {
      if (retryAfterMs != null) {
        return Math.min(retryAfterMs, retryAfterMaxMs);
      }
      long delay = retryBackoffMs << Math.min(retry - 1, 16);
      return jitter ? (long) (delay * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())) : delay;
    }
  }

  private static final int ERROR_BODY_MAX = 2000;

  private final Vertx vertx;
  private final Settings settings;
  private final String url;
  // Held in a field for the model's lifetime: an unreferenced Vert.x client can be closed by the
  // garbage collector in the middle of a request.
  private final HttpClientAgent client;

  public OpenAiModel(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.url = settings.baseUrl() + "/chat/completions";
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout(settings.connectTimeoutMs())
        .setKeepAlive(true));
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public String describe() {
    return "openai-compatible " + settings.model() + " at " + settings.baseUrl();
  }

  @Override
  public ChatCall start(ChatRequest request, Consumer<String> onToken) {
    Context context = vertx.getOrCreateContext();
    Call call = new Call(context, requestBody(settings, request.messages()), onToken);
    context.runOnContext(v -> call.nextAttempt());
    return call;
  }

  /** Closes the connections this model holds. */
  public Future<Void> close() {
    return client.close();
  }

  /** The chat-completions request: model, messages, stream, and the sampling settings that are set. */
  static JsonObject requestBody(Settings settings, List<ChatMessage> messages) {
    JsonArray list = new JsonArray();
    for (ChatMessage m : messages) {
      list.add(new JsonObject().put("role", m.role()).put("content", m.content()));
    }
    JsonObject body = new JsonObject().put("model", settings.model()).put("messages", list).put("stream", true);
    if (settings.temperature() != null) {
      body.put("temperature", settings.temperature());
    }
    if (settings.maxTokens() != null) {
      body.put("max_tokens", settings.maxTokens());
    }
    return body;
  }

  private static boolean retriable(String reason) {
    return reason.equals("connect") || reason.equals("http_429") || reason.matches("http_5\\d\\d");
  }

  private static Long retryAfterMs(HttpClientResponse response) {
    String value = response.getHeader("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim())) * 1000;
    } catch (NumberFormatException e) {
      return null; // an HTTP date: rare from these servers; the backoff is used instead
    }
  }

  /** One reply: its attempts, its tokens and its outcome. */
  private final class Call implements ChatCall {
    private final Context context;
    private final Buffer body;
    private final Consumer<String> onToken;
    private final Promise<String> result = Promise.promise();
    private final StringBuilder text = new StringBuilder();
    /** Set from any thread; checked before every token so none slips out after cancel(). */
    private volatile boolean cancelled;
    private boolean finished;
    private boolean tokenDelivered;
    private int attempts;
    private long retryTimer = -1;
    private Attempt current;

    Call(Context context, JsonObject requestBody, Consumer<String> onToken) {
      this.context = context;
      this.body = requestBody.toBuffer();
      this.onToken = onToken;
    }

    @Override
    public Future<String> reply() {
      return result.future();
    }

    @Override
    public void cancel() {
      cancelled = true;
      context.runOnContext(v -> {
        if (retryTimer >= 0) {
          vertx.cancelTimer(retryTimer);
        }
        if (current != null) {
          current.stop();
        }
        fail(cancelledError());
      });
    }

    private ModelException cancelledError() {
      return new ModelException("cancelled", "the reply was cancelled");
    }

    void nextAttempt() {
      retryTimer = -1;
      if (finished || cancelled) {
        return;
      }
      attempts++;
      current = new Attempt(this);
      current.run();
    }

    void attemptFailed(ModelException error, Long retryAfterMs) {
      if (finished) {
        return;
      }
      if (cancelled) {
        fail(cancelledError()); // the failure raced the cancel; the caller asked for this outcome
        return;
      }
      if (retriable(error.reason()) && !tokenDelivered && attempts <= settings.retries()) {
        retryTimer = vertx.setTimer(Math.max(1, settings.retryDelayMs(attempts, retryAfterMs)), id -> nextAttempt());
        return;
      }
      String tried = attempts > 1 ? " (after " + attempts + " attempts)" : "";
      fail(new ModelException(error.reason(), error.getMessage() + tried, error.getCause()));
    }

    void deliver(String token) {
      if (cancelled || finished) {
        return;
      }
      text.append(token);
      tokenDelivered = true;
      onToken.accept(token);
    }

    void succeed() {
      if (cancelled) {
        fail(cancelledError()); // a reply that completed while cancel() was on its way is still cancelled
        return;
      }
      if (!finished) {
        finished = true;
        result.complete(text.toString());
      }
    }

    void fail(ModelException error) {
      if (!finished) {
        finished = true;
        result.fail(error);
      }
    }
  }

  /** One HTTP exchange of a call. Every callback first checks {@code over}: a stopped attempt's late events mean nothing. */
  private final class Attempt {
    private final Call call;
    private final SseParser parser = new SseParser();
    private HttpClientRequest request;
    private boolean over;
    private boolean responseEnded;
    private boolean sawToken;
    private String finishReason;
    private long startedNanos;
    private long lastBytesNanos;
    private long watchdog = -1;

    Attempt(Call call) {
      this.call = call;
    }

    void run() {
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setAbsoluteURI(url)
          .putHeader("Content-Type", "application/json")
          .putHeader("Accept", "text/event-stream");
      if (settings.apiKey() != null) {
        options.putHeader("Authorization", "Bearer " + settings.apiKey());
      }
      client.request(options).onComplete(connected -> {
        if (connected.failed()) {
          failed(new ModelException("connect", "cannot connect to " + url + ": " + connected.cause().getMessage(),
              connected.cause()), null);
          return;
        }
        request = connected.result();
        if (over) {
          request.reset();
          return;
        }
        startedNanos = lastBytesNanos = System.nanoTime();
        armWatchdog(firstLimitMs());
        request.send(call.body).onComplete(sent -> {
          if (over) {
            return;
          }
          if (sent.failed()) {
            // Most often a pooled keep-alive connection the server had already closed: nothing
            // reached the model, so it is retried like a refused connection.
            failed(new ModelException("connect", "the connection to " + url + " failed before a response: "
                + sent.cause().getMessage(), sent.cause()), null);
          } else {
            onResponse(sent.result());
          }
        });
      });
    }

    private void onResponse(HttpClientResponse response) {
      lastBytesNanos = System.nanoTime();
      int status = response.statusCode();
      if (status / 100 != 2) {
        readError(response, status);
        return;
      }
      response.handler(this::onBytes);
      response.endHandler(v -> onEnd());
      response.exceptionHandler(err -> {
        responseEnded = true;
        failed(new ModelException("truncated", "the stream broke after " + call.text.length()
            + " characters: " + err.getMessage(), err), null);
      });
    }

    /** Keeps the start of an error body for the message: servers say there which model or key was wrong. */
    private void readError(HttpClientResponse response, int status) {
      Buffer start = Buffer.buffer();
      Long retryAfter = retryAfterMs(response);
      Runnable done = () -> {
        responseEnded = true;
        String snippet = OpenAiChunk.quote(start.toString(StandardCharsets.UTF_8));
        failed(new ModelException("http_" + status, "the server answered " + status
            + (snippet.isEmpty() ? "" : ": " + snippet)), retryAfter);
      };
      response.handler(bytes -> {
        lastBytesNanos = System.nanoTime();
        if (start.length() < ERROR_BODY_MAX) {
          start.appendBuffer(bytes, 0, Math.min(bytes.length(), ERROR_BODY_MAX - start.length()));
        }
      });
      response.endHandler(v -> done.run());
      response.exceptionHandler(err -> done.run());
    }

    private void onBytes(Buffer bytes) {
      if (over) {
        return;
      }
      lastBytesNanos = System.nanoTime();
      try {
        handle(parser.feed(bytes.getBytes()));
      } catch (SseParser.TooLargeException e) {
        failed(new ModelException("malformed_chunk", "the server sent " + e.getMessage()), null);
      }
    }

    private void onEnd() {
      responseEnded = true;
      if (over) {
        return;
      }
      handle(parser.end());
      if (over) {
        return;
      }
      if (call.text.length() == 0) {
        failed(new ModelException("empty_reply", "the stream ended without any content"), null);
      } else if (finishReason != null) {
        // No [DONE], but the model said it had finished: some servers leave the marker out.
        finish();
      } else {
        failed(new ModelException("truncated", "the stream ended after " + call.text.length()
            + " characters without [DONE] or a finish_reason"), null);
      }
    }

    private void handle(List<SseParser.Event> events) {
      for (SseParser.Event event : events) {
        if (over) {
          return;
        }
        if (event.isDone()) {
          if (call.text.length() == 0) {
            failed(new ModelException("empty_reply", "the model finished without any content"
                + (finishReason == null ? "" : " (finish_reason " + finishReason + ")")), null);
          } else {
            finish();
          }
          return;
        }
        OpenAiChunk chunk;
        try {
          chunk = OpenAiChunk.parse(event.data());
        } catch (ModelException e) {
          failed(e, null);
          return;
        }
        if (chunk.finishReason() != null) {
          finishReason = chunk.finishReason();
        }
        if (!chunk.content().isEmpty()) {
          if (!sawToken) {
            sawToken = true;
            if (settings.firstTokenTimeoutMs() > 0) {
              armWatchdog(settings.idleTimeoutMs()); // from here on, only silence counts
            }
          }
          call.deliver(chunk.content());
        }
      }
    }

    /** Before the first token the first-token timeout applies when set, counted from the request. */
    private long firstLimitMs() {
      return settings.firstTokenTimeoutMs() > 0 ? settings.firstTokenTimeoutMs() : settings.idleTimeoutMs();
    }

    /** One timer per attempt, re-armed for the time left rather than reset on every chunk. */
    private void armWatchdog(long delayMs) {
      cancelWatchdog();
      watchdog = vertx.setTimer(Math.max(1, delayMs), id -> {
        watchdog = -1;
        if (over) {
          return;
        }
        boolean waitingForFirst = !sawToken && settings.firstTokenTimeoutMs() > 0;
        long since = waitingForFirst ? startedNanos : lastBytesNanos;
        long limit = waitingForFirst ? settings.firstTokenTimeoutMs() : settings.idleTimeoutMs();
        long left = limit - (System.nanoTime() - since) / 1_000_000;
        if (left > 0) {
          armWatchdog(left);
        } else if (waitingForFirst) {
          failed(new ModelException("timeout", "no token within " + limit + " ms of the request"), null);
        } else {
          failed(new ModelException("timeout", "no bytes from the server for " + limit + " ms"), null);
        }
      });
    }

    private void finish() {
      // Not reset: the server ends the response by itself and the connection goes back to the pool.
      over = true;
      cancelWatchdog();
      call.succeed();
    }

    private void failed(ModelException error, Long retryAfterMs) {
      if (over) {
        return;
      }
      stop();
      call.attemptFailed(error, retryAfterMs);
    }

    /** Ends the attempt; an unfinished response is reset, which closes the connection so the server stops generating. */
    void stop() {
      if (over) {
        return;
      }
      over = true;
      cancelWatchdog();
      if (request != null && !responseEnded) {
        request.reset();
      }
    }

    private void cancelWatchdog() {
      if (watchdog >= 0) {
        vertx.cancelTimer(watchdog);
        watchdog = -1;
      }
    }
  }
}
