package dev.pmm.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Client exchanges (HTTP requests, WebSocket connects) started on a Vert.x context, awaited from a
 * test's thread. Started from the test's own thread, a response's callbacks can run on that thread
 * while the event loop delivers the body, and now and then the body never completes: with Vert.x
 * 5.0.7, up to 12 of 20,000 GETs hung that way in each of seven runs (with keep-alive and without),
 * past every timeout; none of 80,000 started on a context. Tests hung for the whole 120 s of
 * {@link TestLedger#await} because of it.
 */
public final class OnContext {
  private OnContext() {}

  public static <T> T await(Vertx vertx, Supplier<Future<T>> exchange) {
    return TestLedger.await(start(vertx, exchange));
  }

  /** The exchange started on a context, for a test that waits for it later. */
  public static <T> Future<T> start(Vertx vertx, Supplier<Future<T>> exchange) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> exchange.get().onComplete(result));
    return result.future();
  }
}
