package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.LedgerPager;
import dev.pmm.ledger.PyJson;
import dev.pmm.metrics.MetricsFold;
import dev.pmm.metrics.MetricsState;
import dev.pmm.projection.ProjectionFold;
import dev.pmm.projection.SelfModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * {@code pmm replay}: rebuilds both caches from the first event and compares them, at each cache's
 * checkpoint, with the state the checkpoint holds.
 */
final class ReplayCheck {

  private final Vertx vertx;
  private final JsonObject config;
  private final ProjectionFold projectionFold;
  private final MetricsFold metricsFold = new MetricsFold();
  private final SelfModel projection;
  private final MetricsState metrics = metricsFold.freshState();

  ReplayCheck(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
    this.projectionFold = ProjectionFold.configured(config);
    this.projection = projectionFold.freshState();
  }

  Future<JsonObject> run() {
    return checkpoint(ProjectionFold.CACHE_NAME).compose(projectionCheckpoint -> checkpoint(MetricsFold.CACHE_NAME).compose(metricsCheckpoint -> {
      JsonObject report = new JsonObject();
      long projectionAt = projectionCheckpoint.getLong("last_event_id", 0L);
      long metricsAt = metricsCheckpoint.getLong("last_event_id", 0L);
      int pageSize = Setting.REPLAY_PAGE_SIZE.intIn(config);
      long started = System.nanoTime();
      return LedgerPager.forEachPageOnWorker(vertx, 0, Long.MAX_VALUE, pageSize, page -> {
        for (Event e : page) {
          projectionFold.fold(projection, e);
          metricsFold.fold(metrics, e);
          if (e.id() == projectionAt) {
            report.put("projection", compare(projectionCheckpoint, projectionFold.saveState(projection)));
          }
          if (e.id() == metricsAt) {
            report.put("metrics", compare(metricsCheckpoint, metricsFold.saveState(metrics)));
          }
        }
      }).map(last -> {
        double seconds = (System.nanoTime() - started) / 1e9;
        for (String cache : new String[] {"projection", "metrics"}) {
          if (!report.containsKey(cache)) {
            report.put(cache, new JsonObject().put("checkpoint", (Object) null).put("match", true)
                .put("note", "no checkpoint to compare with"));
          }
        }
        boolean ok = report.getJsonObject("projection").getBoolean("match") && report.getJsonObject("metrics").getBoolean("match");
        return new JsonObject().put("ok", ok).put("events", last)
            .put("replay_seconds", Math.round(seconds * 1000) / 1000.0)
            .put("events_per_second", seconds > 0 ? Math.round(last / seconds) : null)
            .put("checkpoints", report);
      });
    }));
  }

  private Future<JsonObject> checkpoint(String cache) {
    return vertx.eventBus().<JsonObject>request(Addresses.CHECKPOINT_LOAD, new JsonObject().put("cache", cache))
        .map(reply -> reply.body());
  }

  private static JsonObject compare(JsonObject checkpoint, Map<String, Object> replayed) {
    Object saved = PyJson.parse(checkpoint.getString("state"));
    boolean match = PyJson.parse(PyJson.canonical(replayed)).equals(saved);
    return new JsonObject().put("checkpoint", checkpoint.getLong("last_event_id")).put("match", match)
        .put("warnings", checkpoint.getJsonArray("warnings"));
  }
}
