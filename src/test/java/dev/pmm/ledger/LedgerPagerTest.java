package dev.pmm.ledger;

import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pager holds at most the page being handled and the one read ahead: a replay of a ledger of any
 * length needs memory for two pages. Found by the bench: full replays of 230,000 events ran out of
 * a 256 MB heap, every page so far still reachable through the chain of composed futures.
 */
class LedgerPagerTest {

  private static final int EVENTS = 2_000;
  private static final int PAGE = 100;

  @TempDir
  Path dataDir;

  @Test
  void pagesAlreadyHandledCanBeCollectedOnWorkers() {
    withLedger(vertx -> {
      PageTracker tracker = new PageTracker();
      long last = await(LedgerPager.forEachPageOnWorker(vertx, 0, Long.MAX_VALUE, PAGE, tracker::onPage));
      tracker.assertAllSeenAndReleased(last);
    });
  }

  @Test
  void pagesAlreadyHandledCanBeCollectedOnTheEventLoop() {
    withLedger(vertx -> {
      PageTracker tracker = new PageTracker();
      long last = await(LedgerPager.forEachPage(vertx.eventBus(), 0, Long.MAX_VALUE, PAGE, page -> {
        tracker.onPage(page);
        return Future.succeededFuture();
      }));
      tracker.assertAllSeenAndReleased(last);
    });
  }

  /**
   * Keeps a weak reference to a string inside each page (parsed from the stored meta, so held by
   * nothing but the page); at the last page every one before the last two must be collectable.
   */
  private static final class PageTracker {
    private final List<WeakReference<Object>> earlier = new ArrayList<>();
    private long seen;
    private long stillReachable = -1;

    void onPage(List<Event> page) {
      for (Event e : page) {
        assertEquals(++seen, e.id(), "pages arrive in id order");
      }
      earlier.add(new WeakReference<>(page.get(0).meta().get("marker")));
      if (seen == EVENTS) {
        List<WeakReference<Object>> handled = earlier.subList(0, earlier.size() - 2);
        for (int attempt = 0; attempt < 5 && handled.stream().anyMatch(r -> r.get() != null); attempt++) {
          System.gc();
        }
        stillReachable = handled.stream().filter(r -> r.get() != null).count();
      }
    }

    void assertAllSeenAndReleased(long last) {
      assertEquals(EVENTS, last);
      assertEquals(EVENTS, seen);
      assertEquals(0, stillReachable, "pages already handled are still reachable while the pager runs");
    }
  }

  private void withLedger(Consumer<Vertx> test) {
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(TestLedger.config(dataDir))));
      await(TestLedger.appendMany(vertx, EVENTS, i -> new JsonObject().put("kind", "note").put("content", "")
          .put("meta", new JsonObject().put("marker", "event " + i))));
      test.accept(vertx);
    } finally {
      await(vertx.close());
    }
  }
}
