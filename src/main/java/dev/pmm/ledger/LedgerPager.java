package dev.pmm.ledger;

import dev.pmm.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/** Pages through the ledger over the event bus, one page at a time, in id order. */
public final class LedgerPager {
  private LedgerPager() {}

  /**
   * Hands each page of events with {@code after < id <= upTo} to {@code pageHandler}, waiting for the
   * future it returns before asking for the next page. Completes with the last id seen.
   */
  public static Future<Long> forEachPage(EventBus bus, long after, long upTo, int pageSize,
                                         Function<List<Event>, Future<?>> pageHandler) {
    JsonObject request = new JsonObject().put("after", after).put("up_to", upTo).put("limit", pageSize);
    return bus.<JsonObject>request(Addresses.LEDGER_READ, request).compose(reply -> {
      List<Event> page = EventJson.fromJsonArray(reply.body().getJsonArray("events"));
      if (page.isEmpty()) {
        return Future.succeededFuture(after);
      }
      long last = page.get(page.size() - 1).id();
      return pageHandler.apply(page).compose(v -> page.size() < pageSize || last >= upTo
          ? Future.succeededFuture(last)
          : forEachPage(bus, last, upTo, pageSize, pageHandler));
    });
  }
}
