package dev.pmm.cli;

import dev.pmm.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Appends workload events through the ledger's own append path ({@code pmm.ledger.append}, group
 * commit, a synced log per transaction), keeping {@code inFlight} requests outstanding: the load of
 * that many concurrent senders, each sending its next event when its last one is committed. All
 * requests leave from one event loop, so the ledger receives them in position order and, on an empty
 * ledger, event id = position + 1 whatever the number in flight (BenchTest checks it). That is how
 * the bench fills a large ledger quickly without a second, unproven write path.
 */
final class BenchAppender {
  private final Vertx vertx;
  private final Workload workload;
  private final Promise<Void> done = Promise.promise();
  private long next;
  private final long end;
  private long outstanding;

  private BenchAppender(Vertx vertx, Workload workload, long from, long count) {
    this.vertx = vertx;
    this.workload = workload;
    this.next = from;
    this.end = from + count;
  }

  /** Completes when workload positions {@code from} to {@code from + count - 1} are all committed. */
  static Future<Void> append(Vertx vertx, Workload workload, long from, long count, int inFlight) {
    BenchAppender appender = new BenchAppender(vertx, workload, from, count);
    if (count == 0) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      for (int i = 0; i < inFlight && appender.next < appender.end; i++) {
        appender.sendNext();
      }
    });
    return appender.done.future();
  }

  private void sendNext() {
    long position = next++;
    outstanding++;
    vertx.eventBus().request(Addresses.LEDGER_APPEND, workload.event(position)).onComplete(ar -> {
      outstanding--;
      if (ar.failed()) {
        done.tryFail(new IllegalStateException("append of workload event " + position + " failed: " + ar.cause().getMessage(), ar.cause()));
      } else if (next < end) {
        sendNext();
      } else if (outstanding == 0) {
        done.tryComplete();
      }
    });
  }
}
