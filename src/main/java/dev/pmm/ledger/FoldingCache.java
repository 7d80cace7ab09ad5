package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A cache verticle that keeps a fold of the ledger in memory and never re-reads what it has folded.
 * It starts from the newest valid checkpoint and replays only later events, then follows
 * {@code pmm.ledger.appended}. Every {@code checkpoint.every} events it saves a checkpoint; every
 * {@code consistency.check.every} events it compares itself with the newest checked checkpoint plus
 * a replay of the events after it, done in pages on a worker thread (a cost of about
 * {@code consistency.check.every} rows, whatever the history); a match marks the state as checked,
 * the base of the next check, and a difference turns its status DEGRADED. A replay from the first
 * event runs only when asked ({@code pmm.<cache>.replay}, {@code pmm replay}).
 *
 * @param <S> the mutable fold state, owned by this verticle's event loop
 */
public abstract class FoldingCache<S> extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(FoldingCache.class.getName());

  protected S state;
  private long lastFolded;
  private String lastFoldedHash;
  private long folded;
  private long checkpointEvery;
  private long consistencyEvery;
  private int pageSize;
  private long checkpointLoadedAt;
  private final JsonArray checkpointWarnings = new JsonArray();
  private long checkpointsWritten;
  private long checkpointFailures;
  private long consistencyChecks;
  private long consistencyMismatches;
  private Long lastMismatchAt;
  /** {up_to, base, rows} of the newest check: how much it replayed. */
  private JsonObject lastCheck;
  private boolean checking;
  private boolean catchingUp = true;
  private final List<Event> buffered = new ArrayList<>();

  /** The name of this cache's rows in the checkpoint table. */
  protected abstract String cacheName();

  protected abstract S freshState();

  /** @throws IllegalArgumentException when the state is not one this version can read */
  protected abstract S restoreState(Map<String, Object> saved);

  protected abstract Map<String, Object> saveState(S state);

  protected abstract void fold(S state, Event event);

  /** Called on the event loop after each live or replayed event is folded. */
  protected void afterFold(Event event, boolean live) {}

  /** Called once the cache has caught up with the ledger: register this cache's services here. */
  protected abstract Future<?> ready();

  @Override
  public Future<?> start() {
    JsonObject config = config();
    checkpointEvery = Setting.CHECKPOINT_EVERY.longIn(config);
    consistencyEvery = Setting.CONSISTENCY_CHECK_EVERY.longIn(config);
    pageSize = Setting.REPLAY_PAGE_SIZE.intIn(config);
    state = freshState();
    EventBus bus = vertx.eventBus();
    MessageConsumer<JsonObject> consumer = bus.consumer(Addresses.LEDGER_APPENDED,
        msg -> onAppended(EventJson.fromJson(msg.body())));
    return consumer.completion()
        .compose(v -> bus.consumer("pmm." + cacheName() + ".replay", msg -> fullReplayCheck().onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            msg.fail(500, "the replay failed: " + ar.cause().getMessage());
          }
        })).completion())
        .compose(v -> loadCheckpoint())
        .compose(v -> catchUp())
        .compose(v -> {
          if (checkpointEvery > 0 && lastFolded >= checkpointLoadedAt + checkpointEvery) {
            saveCheckpoint(lastFolded, lastFoldedHash);
          }
          return ready();
        });
  }

  private Future<Void> loadCheckpoint() {
    return vertx.eventBus().<JsonObject>request(Addresses.CHECKPOINT_LOAD, new JsonObject().put("cache", cacheName()))
        .map(reply -> {
          JsonObject body = reply.body();
          body.getJsonArray("warnings", new JsonArray()).forEach(w -> warn(String.valueOf(w)));
          if (!body.getBoolean("found", false)) {
            return null;
          }
          long at = body.getLong("last_event_id");
          try {
            @SuppressWarnings("unchecked")
            Map<String, Object> saved = (Map<String, Object>) PyJson.parse(body.getString("state"));
            state = restoreState(saved);
            lastFolded = at;
            checkpointLoadedAt = at;
          } catch (RuntimeException e) {
            warn("checkpoint at event " + at + " cannot be restored (" + e.getMessage() + "); replaying from the start");
            state = freshState();
          }
          return null;
        });
  }

  private void warn(String warning) {
    LOG.warning(cacheName() + ": " + warning);
    checkpointWarnings.add(warning);
  }

  /** Folds every stored event after the last one folded, then whatever arrived live meanwhile. */
  private Future<Void> catchUp() {
    catchingUp = true;
    return LedgerPager.forEachPage(vertx.eventBus(), lastFolded, Long.MAX_VALUE, pageSize, page -> {
      for (Event e : page) {
        foldOne(e, false);
      }
      return Future.succeededFuture();
    }).map(last -> {
      catchingUp = false;
      drainBuffered();
      return null;
    });
  }

  private void onAppended(Event event) {
    if (catchingUp) {
      buffered.add(event);
    } else if (event.id() == lastFolded + 1) {
      foldOne(event, true);
    } else if (event.id() > lastFolded + 1) {
      // A gap cannot happen on a local bus; if it ever does, the ledger fills it.
      LOG.warning(cacheName() + ": event " + event.id() + " arrived after " + lastFolded + "; reading the gap");
      buffered.add(event);
      catchUp();
    }
  }

  private void drainBuffered() {
    buffered.sort(Comparator.comparingLong(Event::id));
    List<Event> pending = new ArrayList<>(buffered);
    buffered.clear();
    for (Event e : pending) {
      onAppended(e);
    }
  }

  private void foldOne(Event event, boolean live) {
    if (event.id() <= lastFolded) {
      return;
    }
    fold(state, event);
    lastFolded = event.id();
    lastFoldedHash = event.hash();
    folded++;
    afterFold(event, live);
    if (!live) {
      return;
    }
    Future<?> saved = checkpointEvery > 0 && event.id() % checkpointEvery == 0
        ? saveCheckpoint(event.id(), event.hash()) : Future.succeededFuture();
    if (consistencyEvery > 0 && event.id() % consistencyEvery == 0) {
      checkConsistency(saved);
    }
  }

  private Future<?> saveCheckpoint(long eventId, String eventHash) {
    JsonObject request = new JsonObject().put("cache", cacheName()).put("last_event_id", eventId)
        .put("event_hash", eventHash).put("state", PyJson.canonical(saveState(state)));
    return vertx.eventBus().request(Addresses.CHECKPOINT_SAVE, request)
        .onSuccess(r -> checkpointsWritten++)
        .onFailure(e -> {
          checkpointFailures++;
          LOG.warning(cacheName() + ": checkpoint at event " + eventId + " failed: " + e.getMessage());
        });
  }

  /**
   * Compares the incremental state with the newest checked checkpoint before it plus a replay of
   * the events after that checkpoint (with none checked yet: the oldest checkpoint kept, else the
   * first event). A match is recorded as a checked checkpoint at this event, the next check's base.
   */
  public Future<Boolean> checkConsistency() {
    return checkConsistency(Future.succeededFuture());
  }

  /** @param saved the checkpoint of this very event being saved: the match is recorded after it */
  private Future<Boolean> checkConsistency(Future<?> saved) {
    if (checking) {
      return Future.succeededFuture(true);
    }
    checking = true;
    long upTo = lastFolded;
    String upToHash = lastFoldedHash;
    // Through canonical JSON, as a checkpoint would be: the copy is detached from the live state.
    String incrementalText = PyJson.canonical(saveState(state));
    Object incremental = PyJson.parse(incrementalText);
    return vertx.eventBus().<JsonObject>request(Addresses.CHECKPOINT_BASE, new JsonObject().put("cache", cacheName()).put("before", upTo))
        .compose(reply -> {
          JsonObject base = reply.body();
          long from = base.getBoolean("found") ? base.getLong("last_event_id") : 0;
          @SuppressWarnings("unchecked")
          S replayed = from == 0 ? freshState() : restoreState((Map<String, Object>) PyJson.parse(base.getString("state")));
          lastCheck = new JsonObject().put("up_to", upTo).put("base", from).put("base_checked", base.getBoolean("checked", false))
              .put("rows", upTo - from);
          return replayInto(replayed, from, upTo);
        })
        .compose(replayed -> vertx.executeBlocking(() -> PyJson.parse(PyJson.canonical(saveState(replayed))).equals(incremental)))
        .compose(same -> {
          if (!same) {
            consistencyChecks++;
            consistencyMismatches++;
            lastMismatchAt = upTo;
            LOG.severe(cacheName() + ": incremental state differs from a replay of the events up to " + upTo);
            return Future.succeededFuture(false);
          }
          JsonObject checked = new JsonObject().put("cache", cacheName()).put("last_event_id", upTo)
              .put("event_hash", upToHash).put("state", incrementalText);
          // Counted once recorded, so that a check seen as done is one the next start can build on.
          return saved.otherwiseEmpty().compose(v -> vertx.eventBus().request(Addresses.CHECKPOINT_CHECKED, checked))
              .map(true)
              .otherwise(e -> {
                LOG.warning(cacheName() + ": the checked state at event " + upTo + " was not recorded: " + e.getMessage());
                return true;
              })
              .onComplete(ar -> consistencyChecks++);
        })
        .onComplete(ar -> checking = false);
  }

  /** The whole history replayed and compared, on request only: its cost is the ledger's length. */
  private Future<JsonObject> fullReplayCheck() {
    long upTo = lastFolded;
    Object incremental = PyJson.parse(PyJson.canonical(saveState(state)));
    return replayInto(freshState(), 0, upTo)
        .compose(replayed -> vertx.executeBlocking(() -> PyJson.parse(PyJson.canonical(saveState(replayed))).equals(incremental)))
        .map(same -> {
          if (!same) {
            consistencyMismatches++;
            lastMismatchAt = upTo;
            LOG.severe(cacheName() + ": incremental state differs from a full replay at event " + upTo);
          }
          return new JsonObject().put("cache", cacheName()).put("up_to", upTo).put("same", same).put("rows", upTo);
        });
  }

  private Future<S> replayInto(S replayed, long after, long upTo) {
    return LedgerPager.forEachPageOnWorker(vertx, after, upTo, pageSize, page -> {
      for (Event e : page) {
        fold(replayed, e);
      }
    }).map(last -> replayed);
  }

  protected long lastFolded() {
    return lastFolded;
  }

  /** Status for /health and /metrics. */
  protected JsonObject status() {
    boolean degraded = consistencyMismatches > 0;
    return new JsonObject()
        .put("status", degraded ? "DEGRADED" : "UP")
        .put("reasons", degraded
            ? new JsonArray().add(cacheName() + " differed from a replay of the ledger at event " + lastMismatchAt)
            : new JsonArray())
        .put("last_event_id", lastFolded)
        .put("folded", folded)
        .put("checkpoint_loaded_at", checkpointLoadedAt)
        .put("checkpoint_warnings", checkpointWarnings.copy())
        .put("checkpoints_written", checkpointsWritten)
        .put("checkpoint_failures", checkpointFailures)
        .put("consistency_checks", consistencyChecks)
        .put("consistency_mismatches", consistencyMismatches)
        .put("last_consistency_check", lastCheck);
  }
}
