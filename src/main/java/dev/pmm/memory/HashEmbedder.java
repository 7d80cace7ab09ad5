package dev.pmm.memory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A tiny deterministic embedder: lower-cased word tokens hashed into a fixed number of signed
 * buckets (feature hashing), L2-normalised. Texts that share words are close; it knows nothing of
 * meaning. For tests (fast, the same on every machine) and as the fallback when MiniLM cannot load.
 */
public final class HashEmbedder implements Embedder {

  public static final int DEFAULT_DIMENSIONS = 64;

  private final int dimensions;

  public HashEmbedder() {
    this(DEFAULT_DIMENSIONS);
  }

  public HashEmbedder(int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be at least 1");
    }
    this.dimensions = dimensions;
  }

  @Override
  public float[] embed(String text) {
    float[] v = new float[dimensions];
    String lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean word = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        add(v, lower.substring(start, i));
        start = -1;
      }
    }
    return Vectors.normalise(v);
  }

  private void add(float[] v, String token) {
    int h = fnv1a(token);
    // The sign bit comes from the other end of the hash, so that collisions cancel as often as they add.
    v[Math.floorMod(h, dimensions)] += (h >>> 31) == 0 ? 1f : -1f;
  }

  /** FNV-1a over the UTF-8 bytes: fixed by definition, unlike a JVM's hash seeds. */
  static int fnv1a(String token) {
    int h = 0x811c9dc5;
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public String modelId() {
    return "hash-" + dimensions;
  }
}
