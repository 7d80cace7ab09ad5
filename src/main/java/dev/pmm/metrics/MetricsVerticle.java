package dev.pmm.metrics;

import dev.pmm.Addresses;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.FoldingCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Keeps IAS, GAS and the stage incrementally: O(1) per event, where the original recomputed the
 * whole ledger on every new event. Publishes {@code pmm.metrics.changed} after each event that can
 * change them, which the snapshot waits for.
 */
public class MetricsVerticle extends FoldingCache<MetricsState> {

  private final MetricsFold metricsFold = new MetricsFold();

  @Override
  protected String cacheName() {
    return metricsFold.cacheName();
  }

  @Override
  protected MetricsState freshState() {
    return metricsFold.freshState();
  }

  @Override
  protected MetricsState restoreState(Map<String, Object> saved) {
    return metricsFold.restoreState(saved);
  }

  @Override
  protected Map<String, Object> saveState(MetricsState state) {
    return metricsFold.saveState(state);
  }

  @Override
  protected void fold(MetricsState state, Event event) {
    metricsFold.fold(state, event);
  }

  @Override
  protected void afterFold(Event event, boolean live) {
    if (live && MetricsState.affects(event.kind())) {
      vertx.eventBus().publish(Addresses.METRICS_CHANGED, metrics());
    }
  }

  @Override
  protected Future<?> ready() {
    return Future.all(
        vertx.eventBus().consumer(Addresses.METRICS_GET, msg -> msg.reply(metrics())).completion(),
        vertx.eventBus().consumer(Addresses.METRICS_STATUS, msg -> msg.reply(status())).completion());
  }

  /** The snapshot's metrics, plus what the autonomy tick needs to decide a stage change. */
  private JsonObject metrics() {
    StageReading reading = state.stageReading();
    return new JsonObject(state.metrics())
        .put("last_event_id", lastFolded())
        .put("stage_window", new JsonObject().put("ias_mean", reading.iasMean()).put("gas_mean", reading.gasMean())
            .put("count", reading.count()).put("window", 10))
        .put("recorded_stage", state.recordedStage());
  }
}
