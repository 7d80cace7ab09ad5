package dev.pmm.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A least-recently-used cache of embeddings, keyed by the SHA-256 of the model id and the text, so
 * that the same words are embedded once per model. Thread-safe. A text being embedded is in the
 * cache already as a pending entry: a second caller waits for that embedding instead of starting
 * another (a turn's recall of the user's words usually overlaps with the embedding of the
 * user_message event itself). Waiting for a pending entry counts as a hit.
 */
public final class EmbeddingCache {

  /** The cache key: the 32 bytes of a SHA-256, compared by value. */
  private record Key(byte[] digest) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(digest);
    }
  }

  public record Stats(long hits, long misses, long evictions, int size, int capacity) {}

  private final int capacity;
  private final LinkedHashMap<Key, CompletableFuture<float[]>> entries;
  private long hits;
  private long misses;
  private long evictions;

  /** @param capacity most entries kept; 0 keeps none (every lookup embeds) */
  public EmbeddingCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative");
    }
    this.capacity = capacity;
    // Access order: a get moves the entry to the young end, so the eldest is the least recently used.
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<float[]>> eldest) {
        if (size() > EmbeddingCache.this.capacity) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  /**
   * The embedding of a text by an embedder, from the cache or computed now on the calling thread
   * (so call it where blocking is allowed). Failures are not cached.
   */
  public float[] embed(Embedder embedder, String text) {
    Key key = key(embedder.modelId(), text);
    CompletableFuture<float[]> entry;
    boolean mine = false;
    synchronized (this) {
      entry = entries.get(key);
      if (entry != null) {
        hits++;
      } else {
        misses++;
        entry = new CompletableFuture<>();
        mine = true;
        if (capacity > 0) {
          entries.put(key, entry);
        }
      }
    }
    if (mine) {
      try {
        entry.complete(embedder.embed(text));
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          entries.remove(key, entry);
        }
        entry.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return entry.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  public synchronized Stats stats() {
    return new Stats(hits, misses, evictions, entries.size(), capacity);
  }

  static Key key(String modelId, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(modelId.getBytes(StandardCharsets.UTF_8));
      // A separator no model id contains, so ("ab", "c") and ("a", "bc") differ.
      sha.update((byte) 0);
      sha.update(text.getBytes(StandardCharsets.UTF_8));
      return new Key(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
