package dev.pmm.ledger;

import dev.pmm.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Pages through the ledger over the event bus in id order. The next page is asked for before the
 * current one is handled, so the ledger reads it (on its worker) while the handler works.
 */
public final class LedgerPager {
  private LedgerPager() {}

  /**
   * Hands each page of events with {@code after < id <= upTo} to {@code pageHandler} on the caller's
   * context, in order, waiting for the future it returns before handing it the next page. Completes
   * with the last id seen.
   */
  public static Future<Long> forEachPage(EventBus bus, long after, long upTo, int pageSize,
                                         Function<List<Event>, Future<?>> pageHandler) {
    return pages(bus, read(bus, after, upTo, pageSize), after, upTo, pageSize,
        events -> pageHandler.apply(EventJson.fromJsonArray(events)));
  }

  /**
   * As {@link #forEachPage}, but each page is turned into events and handed to {@code pageHandler}
   * on a worker thread, one page at a time in order: for replays that fold into state of their own.
   */
  public static Future<Long> forEachPageOnWorker(Vertx vertx, long after, long upTo, int pageSize,
                                                 Consumer<List<Event>> pageHandler) {
    EventBus bus = vertx.eventBus();
    return pages(bus, read(bus, after, upTo, pageSize), after, upTo, pageSize,
        events -> vertx.executeBlocking(() -> {
          pageHandler.accept(EventJson.fromJsonArray(events));
          return null;
        }));
  }

  private static Future<JsonArray> read(EventBus bus, long after, long upTo, int pageSize) {
    JsonObject request = new JsonObject().put("after", after).put("up_to", upTo).put("limit", pageSize);
    return bus.<JsonObject>request(Addresses.LEDGER_READ, request).map(reply -> reply.body().getJsonArray("events"));
  }

  /**
   * A loop, not a chain of composed futures: each composed future stays reachable until the last
   * page, and each held the next page's read, so a chain kept every page of the ledger in memory.
   */
  private static Future<Long> pages(EventBus bus, Future<JsonArray> first, long after, long upTo, int pageSize,
                                    Function<JsonArray, Future<?>> handler) {
    Promise<Long> done = Promise.promise();
    nextPage(bus, first, after, upTo, pageSize, handler, done);
    return done.future();
  }

  private static void nextPage(EventBus bus, Future<JsonArray> page, long after, long upTo, int pageSize,
                               Function<JsonArray, Future<?>> handler, Promise<Long> done) {
    page.onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
        return;
      }
      JsonArray events = read.result();
      if (events.isEmpty()) {
        done.complete(after);
        return;
      }
      long last = events.getJsonObject(events.size() - 1).getLong("id");
      // Exactly the pages a page-by-page walk would read: none after a short page or past upTo.
      boolean more = events.size() == pageSize && last < upTo;
      Future<JsonArray> next = more ? read(bus, last, upTo, pageSize) : null;
      handler.apply(events).onComplete(handled -> {
        if (handled.failed()) {
          done.fail(handled.cause());
        } else if (more) {
          nextPage(bus, next, last, upTo, pageSize, handler, done);
        } else {
          done.complete(last);
        }
      });
    });
  }
}
