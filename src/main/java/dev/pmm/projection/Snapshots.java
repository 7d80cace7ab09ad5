package dev.pmm.projection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The mind snapshot of ARCHITECTURE.md, from the projection and the latest metrics. */
final class Snapshots {
  private Snapshots() {}

  static JsonObject of(SelfModel model, JsonObject metrics) {
    JsonObject traits = new JsonObject();
    model.traits().forEach(traits::put);
    JsonArray open = new JsonArray();
    for (OpenCommitment c : model.open()) {
      open.add(new JsonObject()
          .put("cid", c.cid())
          .put("text", c.text())
          .put("opened_at", c.openedAt())
          .put("opened_tick", c.openedTick())
          .put("snoozed_until", c.snoozedUntil()));
    }
    JsonArray expired = new JsonArray();
    for (ExpiredCommitment c : model.expired()) {
      expired.add(new JsonObject()
          .put("cid", c.cid())
          .put("text", c.text())
          .put("expired_at", c.expiredAt())
          .put("reason", c.reason()));
    }
    return new JsonObject()
        .put("last_event_id", model.lastEventId())
        .put("identity", new JsonObject().put("name", model.name()).put("traits", traits))
        .put("commitments", new JsonObject()
            .put("open", open)
            .put("expired", expired)
            .put("closed", model.closedCount())
            .put("expired_count", model.expiredCount()))
        .put("metrics", new JsonObject()
            .put("ias", metrics.getValue("ias"))
            .put("gas", metrics.getValue("gas"))
            .put("stage", metrics.getValue("stage")))
        .put("ticks", model.ticks())
        .put("events", model.eventsFolded());
  }
}
