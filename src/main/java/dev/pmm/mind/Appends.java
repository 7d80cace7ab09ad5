package dev.pmm.mind;

import dev.pmm.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Appends through the ledger verticle, one after another so the ledger keeps their order. */
final class Appends {
  private Appends() {}

  static JsonObject event(String kind, String content, JsonObject meta) {
    return new JsonObject().put("kind", kind).put("content", content).put("meta", meta);
  }

  static Future<Long> append(EventBus bus, JsonObject event) {
    return bus.<JsonObject>request(Addresses.LEDGER_APPEND, event).map(reply -> reply.body().getLong("id"));
  }

  /** Completes with the ids given, in order; stops at the first refusal. */
  static Future<List<Long>> inOrder(EventBus bus, List<JsonObject> events) {
    List<Long> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject event : events) {
      chain = chain.compose(v -> append(bus, event).map(id -> {
        ids.add(id);
        return null;
      }));
    }
    return chain.map(v -> ids);
  }
}
