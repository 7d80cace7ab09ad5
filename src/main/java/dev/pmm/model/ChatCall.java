package dev.pmm.model;

import io.vertx.core.Future;

/** One reply in progress. */
public interface ChatCall {

  /** The whole reply; fails with a {@link ModelException} (reason "cancelled" after {@link #cancel()}). */
  Future<String> reply();

  /** Stops the reply and releases what it holds upstream; no more tokens are delivered. */
  void cancel();
}
