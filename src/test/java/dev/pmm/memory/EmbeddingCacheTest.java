package dev.pmm.memory;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddingCacheTest {

  private final CountingEmbedder embedder = new CountingEmbedder(new HashEmbedder());

  @Test
  void repeatedTextIsAHitAndEmbedsOnce() {
    EmbeddingCache cache = new EmbeddingCache(10);
    float[] first = cache.embed(embedder, "my dog Rex");
    float[] second = cache.embed(embedder, "my dog Rex");
    assertSame(first, second, "the cached vector itself");
    assertEquals(1, embedder.calls.get());
    assertEquals(new EmbeddingCache.Stats(1, 1, 0, 1, 10), cache.stats());
  }

  @Test
  void differentTextOrModelIsAMiss() {
    EmbeddingCache cache = new EmbeddingCache(10);
    cache.embed(embedder, "a");
    cache.embed(embedder, "b");
    cache.embed(new HashEmbedder(32), "a");
    assertEquals(new EmbeddingCache.Stats(0, 3, 0, 3, 10), cache.stats());
  }

  @Test
  void evictsTheLeastRecentlyUsed() {
    EmbeddingCache cache = new EmbeddingCache(2);
    cache.embed(embedder, "a");
    cache.embed(embedder, "b");
    cache.embed(embedder, "a");          // a is now the most recent
    cache.embed(embedder, "c");          // evicts b
    assertEquals(new EmbeddingCache.Stats(1, 3, 1, 2, 2), cache.stats());
    cache.embed(embedder, "a");          // still there
    assertEquals(3, embedder.calls.get());
    cache.embed(embedder, "b");          // gone: embedded again, evicts c
    assertEquals(4, embedder.calls.get());
    cache.embed(embedder, "c");          // gone too
    assertEquals(5, embedder.calls.get());
    assertEquals(new EmbeddingCache.Stats(2, 5, 3, 2, 2), cache.stats());
  }

  @Test
  void sizeZeroCachesNothing() {
    EmbeddingCache cache = new EmbeddingCache(0);
    cache.embed(embedder, "a");
    cache.embed(embedder, "a");
    assertEquals(2, embedder.calls.get());
    assertEquals(new EmbeddingCache.Stats(0, 2, 0, 0, 0), cache.stats());
  }

  @Test
  void failuresAreNotCached() {
    EmbeddingCache cache = new EmbeddingCache(4);
    Embedder failing = new Embedder() {
      int calls;

      @Override
      public float[] embed(String text) {
        if (calls++ == 0) {
          throw new IllegalStateException("model not ready");
        }
        return new float[] {1f};
      }

      @Override
      public int dimensions() {
        return 1;
      }

      @Override
      public String modelId() {
        return "flaky";
      }
    };
    assertThrows(IllegalStateException.class, () -> cache.embed(failing, "x"));
    assertArrayEquals(new float[] {1f}, cache.embed(failing, "x"));
    assertEquals(0, cache.stats().hits());
  }

  @Test
  void concurrentCallersOfOneTextShareOneEmbedding() throws Exception {
    EmbeddingCache cache = new EmbeddingCache(4);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountingEmbedder slow = new CountingEmbedder(new HashEmbedder()) {
      @Override
      public float[] embed(String text) {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.embed(text);
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<float[]> first = pool.submit(() -> cache.embed(slow, "same words"));
      started.await(10, TimeUnit.SECONDS);
      Future<float[]> second = pool.submit(() -> cache.embed(slow, "same words"));
      Thread.sleep(50);
      release.countDown();
      assertSame(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
      assertEquals(1, slow.calls.get());
      assertEquals(new EmbeddingCache.Stats(1, 1, 0, 1, 4), cache.stats());
    } finally {
      pool.shutdownNow();
    }
  }
}
