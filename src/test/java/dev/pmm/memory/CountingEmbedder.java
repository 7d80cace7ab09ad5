package dev.pmm.memory;

import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an embedder, counting its calls and optionally sleeping in each (a slow model). */
class CountingEmbedder implements Embedder {

  private final Embedder inner;
  private final long sleepMs;
  final AtomicInteger calls = new AtomicInteger();

  CountingEmbedder(Embedder inner) {
    this(inner, 0);
  }

  CountingEmbedder(Embedder inner, long sleepMs) {
    this.inner = inner;
    this.sleepMs = sleepMs;
  }

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    if (sleepMs > 0) {
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return inner.embed(text);
  }

  @Override
  public int dimensions() {
    return inner.dimensions();
  }

  @Override
  public String modelId() {
    return inner.modelId();
  }
}
