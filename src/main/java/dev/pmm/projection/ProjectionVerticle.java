package dev.pmm.projection;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.FoldingCache;
import dev.pmm.metrics.MetricsState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps identity, traits and commitments incrementally and answers {@code pmm.snapshot.get} from
 * memory. The snapshot's metrics come from MetricsVerticle's {@code pmm.metrics.changed}; a request
 * that arrives before the metrics have caught up with an event that changes them waits for them
 * (briefly), so a snapshot never mixes two points in time.
 */
public class ProjectionVerticle extends FoldingCache<SelfModel> {

  private static final long METRICS_WAIT_MS = 2000;

  private JsonObject metrics = new JsonObject().put("ias", 0.0).put("gas", 0.0).put("stage", "S0").put("last_event_id", 0L);
  private long metricsNeededUpTo;
  private record Waiting(Message<Object> request, boolean full) {}

  private final List<Waiting> waiting = new ArrayList<>();
  /** Built once per change and shared until the next: the whole one, and the bounded one clients are served. */
  private JsonObject full;
  private JsonObject snapshot;
  private long coalesceMs;
  private long lastPublished;
  private boolean publishScheduled;

  private ProjectionFold projectionFold;

  @Override
  public Future<?> start() {
    projectionFold = ProjectionFold.configured(config());
    return super.start();
  }

  @Override
  protected String cacheName() {
    return projectionFold.cacheName();
  }

  @Override
  protected SelfModel freshState() {
    return projectionFold.freshState();
  }

  @Override
  protected SelfModel restoreState(Map<String, Object> saved) {
    return projectionFold.restoreState(saved);
  }

  @Override
  protected Map<String, Object> saveState(SelfModel state) {
    return projectionFold.saveState(state);
  }

  @Override
  protected void fold(SelfModel state, Event event) {
    projectionFold.fold(state, event);
  }

  @Override
  protected void afterFold(Event event, boolean live) {
    full = null;
    snapshot = null;
    if (MetricsState.affects(event.kind())) {
      metricsNeededUpTo = event.id();
    }
    if (live) {
      changed();
    }
  }

  @Override
  protected Future<?> ready() {
    coalesceMs = Setting.SNAPSHOT_COALESCE_MS.longIn(config());
    // MetricsVerticle is deployed first and has caught up: its current metrics cover every event
    // folded here so far, and later changes arrive on pmm.metrics.changed.
    return vertx.eventBus().<JsonObject>consumer(Addresses.METRICS_CHANGED, msg -> onMetrics(msg.body())).completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.METRICS_GET, null))
        .compose(reply -> {
          onMetrics(reply.body());
          return Future.all(
              vertx.eventBus().consumer(Addresses.SNAPSHOT_GET, msg -> onSnapshotGet(msg, false)).completion(),
              vertx.eventBus().consumer(Addresses.SNAPSHOT_FULL, msg -> onSnapshotGet(msg, true)).completion(),
              vertx.eventBus().consumer(Addresses.PROJECTION_STATUS, msg -> msg.reply(status())).completion());
        });
  }

  private void onMetrics(JsonObject latest) {
    if (latest.getLong("last_event_id", 0L) < metrics.getLong("last_event_id", 0L)) {
      return;
    }
    metrics = latest;
    full = null;
    snapshot = null;
    if (metricsCurrent()) {
      List<Waiting> answered = new ArrayList<>(waiting);
      waiting.clear();
      answered.forEach(w -> w.request().reply(w.full() ? full() : snapshot()));
    }
    changed();
  }

  private boolean metricsCurrent() {
    return metrics.getLong("last_event_id", 0L) >= metricsNeededUpTo;
  }

  private void onSnapshotGet(Message<Object> msg, boolean whole) {
    if (metricsCurrent()) {
      msg.reply(whole ? full() : snapshot());
      return;
    }
    Waiting w = new Waiting(msg, whole);
    waiting.add(w);
    vertx.setTimer(METRICS_WAIT_MS, t -> {
      if (waiting.remove(w)) {
        msg.reply(whole ? full() : snapshot());
      }
    });
  }

  /** Publishes the snapshot at most once per coalescing window, however often the mind changes. */
  private void changed() {
    if (publishScheduled) {
      return;
    }
    publishScheduled = true;
    long delay = Math.max(1, lastPublished + coalesceMs - System.currentTimeMillis());
    vertx.setTimer(delay, t -> {
      publishScheduled = false;
      lastPublished = System.currentTimeMillis();
      vertx.eventBus().publish(Addresses.SNAPSHOT_CHANGED, snapshot());
    });
  }

  /** The snapshot of ARCHITECTURE.md, as clients are served it: its size bounded whatever the mind holds. */
  private JsonObject snapshot() {
    if (snapshot == null) {
      snapshot = Snapshots.bounded(full());
    }
    return snapshot;
  }

  /** Every open commitment, each text whole: what turns and ticks decide from. */
  private JsonObject full() {
    if (full == null) {
      full = Snapshots.of(state, metrics, Setting.COMMITMENT_TTL_TICKS.longIn(config()));
    }
    return full;
  }
}
