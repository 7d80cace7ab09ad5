package dev.pmm.memory;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import dev.pmm.mind.MindContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Semantic memory: the newest conversation events (user, assistant, reflection) embedded in a
 * bounded {@link RecallIndex}, answered by cosine on {@code pmm.memory.recall}.
 *
 * <p>Start-up loads the recall window from the ledger once, with the vectors stored for this
 * embedder's model; only events without one are embedded (the backlog), so a restart never embeds
 * an event twice. After that it follows {@code pmm.ledger.appended} and never reads storage again:
 * each new event is embedded on a worker, indexed, and its vector saved in batches.
 *
 * <p>Embedding runs on two single-thread workers, never on the event loop: one for events (in
 * order), one for recall queries, so that a query never waits behind a backlog. A recall answers
 * within {@code memory.recall.budget.ms}: past it the reply is {@code timed_out: true} with no
 * items, and the turn goes on without memories rather than waiting.
 */
public class MemoryVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(MemoryVerticle.class.getName());

  /** What is remembered; {@code user} and {@code response} are the October 2025 original's names. */
  public static final List<String> KINDS = List.of("user_message", "assistant_message", "reflection", "user", "response");
  /**
   * Most characters embedded and kept per event: MiniLM reads about 256 word pieces anyway, and the
   * index's memory stays bounded by the window whatever an event's size.
   */
  public static final int MAX_TEXT_CHARS = 2000;
  public static final int MAX_K = 100;

  private static final int EMBED_BATCH = 16;
  private static final int SAVE_BATCH = 500;
  /** Recalls waiting for the query worker past this are answered timed out at once, not queued. */
  private static final int MAX_RECALLS_IN_FLIGHT = 4;
  private static final long STOP_FLUSH_MS = 5000;

  private record Pending(long eventId, String kind, String text) {}

  private record Embedded(JsonArray items, int failed, String error) {}

  private final Embedder injected;
  private Embedders.Choice choice;
  private Embedder embedder;
  private EmbeddingCache cache;
  private RecallIndex index;
  private WorkerExecutor eventWorker;
  private WorkerExecutor queryWorker;
  private int defaultK;
  private long budgetMs;

  private boolean loading = true;
  private boolean stopping;
  private final List<JsonObject> arrivedWhileLoading = new ArrayList<>();
  private long highestSeen;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean embedding;
  private int embeddingNow;
  private final Deque<JsonObject> unsaved = new ArrayDeque<>();
  private boolean saving;
  private int recallsInFlight;

  private long loadedEvents;
  private long loadedVectors;
  private long embedded;
  private long embedFailures;
  private long saved;
  private long saveFailures;
  private long recalls;
  private long recallTimeouts;
  private String lastError;

  /** The embedder that {@code memory.embedder} names. */
  public MemoryVerticle() {
    this(null);
  }

  /** A given embedder instead of the configured one (tests: counting, slow). */
  public MemoryVerticle(Embedder embedder) {
    this.injected = embedder;
  }

  @Override
  public Future<?> start() {
    JsonObject config = config();
    cache = new EmbeddingCache(Setting.MEMORY_CACHE_SIZE.intIn(config));
    index = new RecallIndex(Setting.MEMORY_RECALL_WINDOW.intIn(config));
    defaultK = Math.min(MAX_K, Setting.MEMORY_RECALL_K.intIn(config));
    budgetMs = Setting.MEMORY_RECALL_BUDGET_MS.longIn(config);
    eventWorker = vertx.createSharedWorkerExecutor("pmm-memory-events", 1);
    queryWorker = vertx.createSharedWorkerExecutor("pmm-memory-queries", 1);
    String name = Setting.MEMORY_EMBEDDER.stringIn(config);
    Future<Embedders.Choice> chosen = injected != null
        ? Future.succeededFuture(new Embedders.Choice(injected, "given", null))
        // MiniLM's model loads here, on the worker, once.
        : eventWorker.executeBlocking(() -> Embedders.create(name), true);

    EventBus bus = vertx.eventBus();
    MessageConsumer<JsonObject> appended = bus.consumer(Addresses.LEDGER_APPENDED, msg -> onAppended(msg.body()));
    return appended.completion()
        .compose(v -> chosen)
        .compose(c -> {
          choice = c;
          embedder = c.embedder();
          return load();
        })
        .compose(v -> Future.all(
            bus.consumer(Addresses.MEMORY_RECALL, this::onRecall).completion(),
            bus.consumer(Addresses.MEMORY_STATUS, msg -> msg.reply(status())).completion()))
        .onSuccess(v -> {
          loading = false;
          arrivedWhileLoading.forEach(this::onAppended);
          arrivedWhileLoading.clear();
          pump();
        });
  }

  /** The recall window from the ledger, with stored vectors; whatever has none becomes the backlog. */
  private Future<Void> load() {
    JsonObject request = new JsonObject().put("model", embedder.modelId()).put("limit", index.window())
        .put("kinds", new JsonArray(KINDS)).put("max_chars", MAX_TEXT_CHARS + 1);
    return vertx.eventBus().<JsonObject>request(Addresses.EMBEDDINGS_LOAD, request, new DeliveryOptions().setSendTimeout(120_000))
        // Decoding a few thousand vectors is the worker's job, not the event loop's.
        .compose(reply -> eventWorker.executeBlocking(() -> {
          List<Pending> backlog = new ArrayList<>();
          long highest = 0;
          int vectors = 0;
          JsonArray events = reply.body().getJsonArray("events");
          for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            long id = e.getLong("id");
            highest = Math.max(highest, id);
            String text = clip(e.getString("content"));
            if (text.isBlank()) {
              continue;
            }
            String vector = e.getString("vector");
            float[] v = vector == null ? null : Vectors.fromBase64(vector);
            if (v != null && v.length == embedder.dimensions()) {
              index.add(id, e.getString("kind"), text, v);
              vectors++;
            } else {
              backlog.add(new Pending(id, e.getString("kind"), text));
            }
          }
          return new Object[] {backlog, highest, vectors, events.size()};
        }, true))
        .map(result -> {
          @SuppressWarnings("unchecked")
          List<Pending> backlog = (List<Pending>) result[0];
          // Every event up to here is in the reply or older than the window: later ones come live.
          highestSeen = Math.max(highestSeen, (Long) result[1]);
          loadedVectors = (Integer) result[2];
          loadedEvents = (Integer) result[3];
          queue.addAll(backlog);
          if (!backlog.isEmpty()) {
            LOG.info("memory: " + backlog.size() + " events have no " + embedder.modelId() + " vector yet; embedding them");
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- events

  private void onAppended(JsonObject event) {
    if (loading) {
      arrivedWhileLoading.add(event);
      return;
    }
    long id = event.getLong("id");
    if (id <= highestSeen) {
      return;
    }
    highestSeen = id;
    String kind = event.getString("kind");
    if (!KINDS.contains(kind)) {
      return;
    }
    String text = clip(event.getString("content", ""));
    if (text.isBlank()) {
      return;
    }
    queue.add(new Pending(id, kind, text));
    pump();
  }

  /** One batch at a time on the event worker, so vectors are indexed and saved in id order. */
  private void pump() {
    if (embedding || stopping || queue.isEmpty()) {
      return;
    }
    embedding = true;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), EMBED_BATCH));
    while (!queue.isEmpty() && batch.size() < EMBED_BATCH) {
      batch.add(queue.poll());
    }
    embeddingNow = batch.size();
    eventWorker.executeBlocking(() -> embedBatch(batch), true).onComplete(ar -> {
      embedding = false;
      embeddingNow = 0;
      if (ar.succeeded()) {
        Embedded done = ar.result();
        embedded += done.items().size();
        embedFailures += done.failed();
        if (done.error() != null) {
          lastError = done.error();
        }
        done.items().forEach(item -> unsaved.add((JsonObject) item));
        flushSaves();
      } else {
        embedFailures += batch.size();
        lastError = String.valueOf(ar.cause());
        LOG.log(Level.WARNING, "memory: a batch of " + batch.size() + " events could not be embedded", ar.cause());
      }
      pump();
    });
  }

  /** On the event worker. An event that fails to embed is left out (it is retried at the next start). */
  private Embedded embedBatch(List<Pending> batch) {
    JsonArray items = new JsonArray();
    int failed = 0;
    String error = null;
    for (Pending p : batch) {
      try {
        float[] v = cache.embed(embedder, p.text());
        index.add(p.eventId(), p.kind(), p.text(), v);
        items.add(new JsonObject().put("event_id", p.eventId()).put("vector", Vectors.toBase64(v)));
      } catch (RuntimeException e) {
        failed++;
        error = "event " + p.eventId() + ": " + e;
        LOG.log(Level.WARNING, "memory: event " + p.eventId() + " could not be embedded", e);
      }
    }
    return new Embedded(items, failed, error);
  }

  /** One put in flight; what arrives meanwhile goes in the next, so saves batch by themselves. */
  private void flushSaves() {
    if (saving || unsaved.isEmpty()) {
      return;
    }
    saving = true;
    JsonArray items = new JsonArray();
    while (!unsaved.isEmpty() && items.size() < SAVE_BATCH) {
      items.add(unsaved.poll());
    }
    save(items).onComplete(ar -> {
      saving = false;
      flushSaves();
    });
  }

  private Future<Void> save(JsonArray items) {
    JsonObject request = new JsonObject().put("model", embedder.modelId()).put("items", items);
    return vertx.eventBus().request(Addresses.EMBEDDINGS_PUT, request)
        .onSuccess(reply -> saved += items.size())
        .onFailure(e -> {
          // Not fatal: the vectors stay in the index, and those events are embedded again at the next start.
          saveFailures += items.size();
          lastError = "save: " + e.getMessage();
          LOG.warning("memory: " + items.size() + " vectors could not be saved: " + e.getMessage());
        })
        .mapEmpty();
  }

  // ---------------------------------------------------------------- recall

  private void onRecall(Message<Object> msg) {
    String text;
    int k;
    Set<Long> exclude;
    try {
      if (msg.body() != null && !(msg.body() instanceof JsonObject)) {
        throw new IllegalArgumentException("the body must be a JSON object {text, k?, exclude?}");
      }
      JsonObject body = msg.body() == null ? new JsonObject() : (JsonObject) msg.body();
      if (!(body.getValue("text") instanceof String t)) {
        throw new IllegalArgumentException("text must be a string");
      }
      text = clip(t);
      Object kValue = body.getValue("k");
      if (kValue != null && !(kValue instanceof Integer || kValue instanceof Long)) {
        throw new IllegalArgumentException("k must be a whole number");
      }
      k = kValue == null ? defaultK : (int) Math.max(1, Math.min(MAX_K, ((Number) kValue).longValue()));
      exclude = new HashSet<>();
      JsonArray ids = body.getValue("exclude") == null ? new JsonArray() : body.getJsonArray("exclude");
      for (Object id : ids) {
        if (!(id instanceof Integer || id instanceof Long)) {
          throw new IllegalArgumentException("exclude must be a list of event ids");
        }
        exclude.add(((Number) id).longValue());
      }
    } catch (ClassCastException | IllegalArgumentException e) {
      msg.fail(400, e instanceof ClassCastException ? "exclude must be a list of event ids" : e.getMessage());
      return;
    }
    recalls++;
    if (text.isBlank() || index.size() == 0) {
      msg.reply(recalled(List.of(), false));
      return;
    }
    if (recallsInFlight >= MAX_RECALLS_IN_FLIGHT) {
      recallTimeouts++;
      msg.reply(recalled(List.of(), true));
      return;
    }
    recallsInFlight++;
    boolean[] answered = {false};
    long timer = vertx.setTimer(budgetMs, t -> {
      if (!answered[0]) {
        answered[0] = true;
        recallTimeouts++;
        msg.reply(recalled(List.of(), true));
      }
    });
    // A query that misses its budget still finishes on the worker: its vector is cached for the next turn.
    queryWorker.executeBlocking(() -> index.topK(cache.embed(embedder, text), k, exclude), false)
        .onComplete(ar -> {
          recallsInFlight--;
          if (answered[0]) {
            return;
          }
          answered[0] = true;
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            msg.reply(recalled(ar.result(), false));
          } else {
            lastError = "recall: " + ar.cause();
            msg.fail(500, "recall failed: " + ar.cause().getMessage());
          }
        });
  }

  private static JsonObject recalled(List<MindContext.Recalled> items, boolean timedOut) {
    JsonArray out = new JsonArray();
    for (MindContext.Recalled r : items) {
      out.add(new JsonObject().put("event_id", r.eventId()).put("kind", r.kind()).put("text", r.text()).put("score", r.score()));
    }
    return new JsonObject().put("items", out).put("timed_out", timedOut);
  }

  /** The first {@link #MAX_TEXT_CHARS} characters, never splitting a surrogate pair. */
  static String clip(String text) {
    if (text == null) {
      return "";
    }
    if (text.length() <= MAX_TEXT_CHARS) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
    return text.substring(0, end);
  }

  // ---------------------------------------------------------------- status and stop

  private JsonObject status() {
    EmbeddingCache.Stats stats = cache.stats();
    JsonArray reasons = new JsonArray();
    if (choice.fallback()) {
      reasons.add(choice.fallbackReason());
    }
    return new JsonObject()
        .put("status", choice.fallback() ? "DEGRADED" : "UP")
        .put("reasons", reasons)
        .put("embedder", embedder.modelId())
        .put("embedder_requested", choice.requested())
        .put("dimensions", embedder.dimensions())
        .put("fallback", choice.fallback())
        .put("cache", new JsonObject().put("hits", stats.hits()).put("misses", stats.misses())
            .put("evictions", stats.evictions()).put("size", stats.size()).put("capacity", stats.capacity()))
        .put("index_size", index.size())
        .put("window", index.window())
        .put("loaded_events", loadedEvents)
        .put("loaded_vectors", loadedVectors)
        .put("embedded", embedded)
        .put("queued", queue.size() + embeddingNow)
        .put("saved", saved)
        .put("unsaved", unsaved.size())
        .put("embed_failures", embedFailures)
        .put("save_failures", saveFailures)
        .put("recalls", recalls)
        .put("recall_timeouts", recallTimeouts)
        .put("last_error", lastError);
  }

  /** Finishes the batch being embedded and saves what is unsaved, for a few seconds at most. */
  @Override
  public Future<?> stop() {
    stopping = true;
    long deadline = System.currentTimeMillis() + STOP_FLUSH_MS;
    return drain(deadline)
        .recover(e -> Future.succeededFuture())
        .eventually(() -> Future.all(eventWorker.close(), queryWorker.close()));
  }

  private Future<Void> drain(long deadline) {
    if (System.currentTimeMillis() > deadline) {
      return Future.succeededFuture();
    }
    if (embedding || saving) {
      return vertx.timer(5).compose(v -> drain(deadline));
    }
    if (unsaved.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray items = new JsonArray();
    while (!unsaved.isEmpty() && items.size() < SAVE_BATCH) {
      items.add(unsaved.poll());
    }
    saving = true;
    return save(items).eventually(() -> {
      saving = false;
      return Future.succeededFuture();
    }).recover(e -> Future.succeededFuture()).compose(v -> drain(deadline));
  }
}
