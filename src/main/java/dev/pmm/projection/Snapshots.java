package dev.pmm.projection;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The mind snapshot of ARCHITECTURE.md, from the projection and the latest metrics. */
final class Snapshots {
  private Snapshots() {}

  /** Open commitments a served snapshot lists (the oldest first, as they expire first); all are counted. */
  static final int OPEN_LISTED_MAX = 100;
  /** Characters of a commitment's text a served snapshot shows; the ledger keeps it whole. */
  static final int TEXT_SHOWN_MAX = 300;

  /**
   * The snapshot as clients are served it: the open list capped (with {@code open_count}) and long
   * texts cut, so that every page, socket and bridge client is sent a bounded frame whatever the mind holds.
   */
  static JsonObject bounded(JsonObject full) {
    JsonObject commitments = full.getJsonObject("commitments");
    JsonArray open = commitments.getJsonArray("open");
    JsonArray listed = new JsonArray();
    for (int i = 0; i < Math.min(open.size(), OPEN_LISTED_MAX); i++) {
      listed.add(withShortText(open.getJsonObject(i)));
    }
    JsonArray expired = new JsonArray();
    commitments.getJsonArray("expired").forEach(c -> expired.add(withShortText((JsonObject) c)));
    return full.copy().put("commitments", commitments.copy().put("open", listed).put("open_count", open.size())
        .put("expired", expired));
  }

  private static JsonObject withShortText(JsonObject commitment) {
    String text = commitment.getString("text");
    if (text == null || text.length() <= TEXT_SHOWN_MAX) {
      return commitment;
    }
    int cut = Character.isHighSurrogate(text.charAt(TEXT_SHOWN_MAX - 2)) ? TEXT_SHOWN_MAX - 2 : TEXT_SHOWN_MAX - 1;
    return commitment.copy().put("text", text.substring(0, cut) + "…");
  }

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
