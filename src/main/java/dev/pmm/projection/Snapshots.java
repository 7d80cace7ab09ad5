package dev.pmm.projection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The mind snapshot of ARCHITECTURE.md, from the projection and the latest metrics. */
final class Snapshots {
  private Snapshots() {}

  /** @param ttlTicks commitments open longer than this expire at a tick (0: they never do) */
  static JsonObject of(SelfModel model, JsonObject metrics, long ttlTicks) {
    JsonObject traits = new JsonObject();
    model.traits().forEach(traits::put);
    JsonArray open = new JsonArray();
    for (OpenCommitment c : model.open()) {
      open.add(new JsonObject()
          .put("cid", c.cid())
          .put("text", c.text())
          .put("opened_at", c.openedAt())
          .put("opened_tick", c.openedTick())
          .put("snoozed_until", c.snoozedUntil())
          .put("expires_at_tick", ttlTicks > 0 ? c.openedTick() + ttlTicks + 1 : null));
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
